import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { startedReply } from '../blocks/run-replies';
import { textMessage } from '../../tools/slack/blocks/kit';
import type { Reply } from '../commands/context';
import type { BotContext, BotDeps } from '../deps';
import { errorReply } from '../errors';
import { readMetadata } from '../modal/metadata';
import { readModalInput } from '../modal/read-values';
import { respondTo } from '../respond';
import { startRun } from '../runs/start';

/**
 * The run form submitted. Bad values go back in the ack (`response_action: 'errors'`, one per
 * input: Slack only takes them there); good ones close the form, then the run starts with the
 * view's id as its idempotency key, so a double submission starts it once.
 */
export function runSubmission(
  deps: BotDeps,
): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>, BotContext> {
  return async ({ ack, view, body, client, context }) => {
    const metadata = readMetadata(view.private_metadata);
    const definition =
      metadata && deps.runs.workflows.has(metadata.workflow)
        ? deps.runs.workflows.get(metadata.workflow)
        : undefined;
    if (!metadata || !definition) {
      await ack();
      deps.logger.warn({ viewId: view.id }, 'run form without a known workflow; closed');
      return;
    }
    const input = readModalInput(definition, view.state.values);
    if (!input.ok) {
      await ack({ response_action: 'errors', errors: input.errors });
      return;
    }
    await ack();

    const user = body.user.id;
    const { channel, threadTs, responseUrl } = metadata;
    const reply = async (message: Reply): Promise<void> => {
      if (responseUrl) await respondTo(responseUrl, message);
      else
        await client.chat.postEphemeral({
          channel,
          user,
          ...(threadTs ? { thread_ts: threadTs } : {}),
          ...message,
        });
    };
    try {
      const decision = await context.caller?.check(definition);
      if (!decision?.allowed) {
        await reply(
          textMessage(
            `🔒 You can't run this here: ${decision?.reason ?? 'unknown user.'} Nothing was started.`,
          ),
        );
        return;
      }
      const started = await startRun(deps, definition, input.input, {
        kind: 'view',
        id: view.id,
        user,
        channel,
        ...(threadTs ? { threadTs } : {}),
      });
      await reply(startedReply(definition, started));
    } catch (error) {
      await reply(errorReply(error, deps.logger)).catch((replyError: unknown) =>
        deps.logger.error({ err: replyError, cause: error }, 'could not tell the user about a failure'),
      );
    }
  };
}

import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { CommandContext } from '../commands/context';
import { dispatch } from '../commands/dispatch';
import { parseCommand } from '../commands/grammar';
import type { BotContext, BotDeps } from '../deps';
import { startRun } from '../runs/start';

/**
 * `@pantheon run <workflow> …` works like the command and answers in the thread (the run's root
 * message goes there; problems go to the person only). Any other mention goes to the assistant.
 */
export function appMention(deps: BotDeps): Middleware<SlackEventMiddlewareArgs<'app_mention'>, BotContext> {
  return async ({ event, body, client, context }) => {
    const { caller } = context;
    if (!caller || !event.user) return;
    const { user, channel } = event;
    const threadTs = event.thread_ts ?? event.ts;
    const mention = context.botUserId
      ? new RegExp(`<@${context.botUserId}(\\|[^>]*)?>`, 'g')
      : /^\s*<@[^>]+>/;
    const text = event.text.replace(mention, ' ').trim();
    const command = parseCommand(text);

    if (command.verb === 'run') {
      const ctx: CommandContext = {
        deps,
        caller,
        request: { kind: 'event', id: body.event_id, user, channel, threadTs },
        reply: async (message) => {
          await client.chat.postEphemeral({ channel, user, thread_ts: threadTs, ...message });
        },
      };
      await dispatch(ctx, command);
      return;
    }
    try {
      const admitted = await caller.admit();
      if (!admitted.allowed) {
        await client.chat.postEphemeral({
          channel,
          user,
          thread_ts: threadTs,
          text: `🔒 ${admitted.reason}`,
        });
        return;
      }
      const workflows = await caller.runnable(deps.runs.workflows.list());
      await deps.assistant(
        { text, user, channel, threadTs, workflows },
        {
          reply: async (message) => {
            await client.chat.postMessage({ channel, thread_ts: threadTs, ...message });
          },
          start: (workflow, input) =>
            startRun(deps, deps.runs.workflows.get(workflow), input, {
              kind: 'event',
              id: body.event_id,
              user,
              channel,
              threadTs,
            }),
        },
      );
    } catch (error) {
      deps.logger.error({ err: error, channel }, 'the assistant failed to answer a mention');
    }
  };
}

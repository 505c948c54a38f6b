import { escapeMrkdwn } from '../../tools/slack/blocks/mrkdwn';
import { textMessage } from '../../tools/slack/blocks/kit';
import { errorReply } from '../errors';
import { cancel } from './cancel';
import type { CommandContext } from './context';
import type { PantheonCommand } from './grammar';
import { verbs } from './grammar';
import { help } from './help';
import { list } from './list';
import { run } from './run';
import { status } from './status';

/**
 * Runs one parsed command; whatever fails, the caller hears what happened. Someone from another
 * organisation, or a guest, hears why they cannot use Pantheon and nothing else.
 */
export async function dispatch(ctx: CommandContext, command: PantheonCommand): Promise<void> {
  try {
    const admitted = await ctx.caller.admit();
    if (!admitted.allowed) return await ctx.reply(textMessage(`🔒 ${admitted.reason}`));
    switch (command.verb) {
      case 'run':
        return await run(ctx, command.workflow, command.args);
      case 'list':
        return await list(ctx, command.label);
      case 'help':
        return await help(ctx, command.workflow);
      case 'status':
        return await status(ctx, command.runId);
      case 'cancel':
        return await cancel(ctx, command.runId);
      case 'unknown': {
        const asWorkflow = ctx.deps.runs.workflows.has(command.word)
          ? ` To start it: \`/pantheon run ${escapeMrkdwn(command.word)} …\``
          : '';
        return await ctx.reply(
          textMessage(
            `\`${escapeMrkdwn(command.word)}\` is not a command. Try ${verbs.map((v) => `\`${v}\``).join(', ')}.${asWorkflow}`,
          ),
        );
      }
    }
  } catch (error) {
    await ctx
      .reply(errorReply(error, ctx.deps.logger))
      .catch((replyError: unknown) =>
        ctx.deps.logger.error({ err: replyError, cause: error }, 'could not tell the user about a failure'),
      );
  }
}

import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { handleReaction } from '../feedback/reactions';

/** 👍/👎 on a run's message: feedback stored, and signalled to the run while it is open. */
export function reactionAdded(
  deps: BotDeps,
): Middleware<SlackEventMiddlewareArgs<'reaction_added'>, BotContext> {
  return async ({ event }) => {
    await handleReaction(deps, event, true).catch((error: unknown) =>
      deps.logger.error({ err: error }, 'could not record feedback'),
    );
  };
}

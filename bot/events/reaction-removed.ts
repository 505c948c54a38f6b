import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import { handleReaction } from '../feedback/reactions';

/** Taking the reaction back retracts the feedback. */
export function reactionRemoved(
  deps: BotDeps,
): Middleware<SlackEventMiddlewareArgs<'reaction_removed'>, BotContext> {
  return async ({ event }) => {
    await handleReaction(deps, event, false).catch((error: unknown) =>
      deps.logger.error({ err: error }, 'could not retract feedback'),
    );
  };
}

import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';

const ttlSeconds = 24 * 3600;

/**
 * Slack redelivers an event it thinks we missed (X-Slack-Retry-Num), and every bot process may get
 * it: the first to claim the event_id in Redis handles it, the rest drop it. Runs are safe without
 * this (their ids come from the event); it keeps replies and signals single. If Redis is down,
 * events go through: a double reply beats a lost request.
 */
export function dedupeEvents(deps: BotDeps): Middleware<AnyMiddlewareArgs, BotContext> {
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (!deps.redis || typeof eventId !== 'string') return next();
    const claimed = await deps.redis
      .set(`pantheon:slack:event:${eventId}`, '1', 'EX', ttlSeconds, 'NX')
      .then((answer) => answer === 'OK')
      .catch((error: unknown) => {
        deps.logger.warn({ err: error, eventId }, 'could not de-duplicate an event; handling it');
        return true;
      });
    if (claimed) return next();
    deps.logger.info({ eventId, retryNum: context.retryNum }, 'duplicate event dropped');
  };
}

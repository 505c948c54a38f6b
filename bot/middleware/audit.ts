import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';

/** One log line per request: what kind, who, where, and whether Slack is retrying it. No inputs (they may be sensitive). */
export function audit(deps: BotDeps): Middleware<AnyMiddlewareArgs, BotContext> {
  return async ({ body, context, next }) => {
    const b = body as {
      type?: string;
      command?: string;
      event?: { type?: string };
      view?: { callback_id?: string };
      actions?: { action_id?: string }[];
    };
    deps.logger.debug(
      {
        kind: b.command ?? b.event?.type ?? b.view?.callback_id ?? b.actions?.[0]?.action_id ?? b.type,
        user: context.caller?.user,
        channel: context.caller?.channel,
        ...(context.retryNum ? { retryNum: context.retryNum, retryReason: context.retryReason } : {}),
      },
      'slack request',
    );
    await next();
  };
}

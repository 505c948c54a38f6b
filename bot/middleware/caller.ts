import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { Caller } from '../access/caller';
import type { BotContext, BotDeps } from '../deps';

/** Who acts and where, from any kind of Slack request. */
function whoAndWhere(body: AnyMiddlewareArgs['body']): { user?: string; channel?: string } {
  const b = body as {
    user_id?: string;
    channel_id?: string;
    user?: { id?: string };
    channel?: { id?: string };
    event?: { user?: string; channel?: string; item?: { channel?: string } };
    view?: { private_metadata?: string };
  };
  if (b.user_id) return { user: b.user_id, channel: b.channel_id }; // slash command
  if (b.event) return { user: b.event.user, channel: b.event.channel ?? b.event.item?.channel };
  let channel = b.channel?.id;
  if (!channel && b.view?.private_metadata) {
    // Our modals carry the channel they were opened from (see blocks/run-modal.ts).
    try {
      channel = (JSON.parse(b.view.private_metadata) as { channel?: string }).channel;
    } catch {
      channel = undefined;
    }
  }
  return { user: b.user?.id, channel };
}

/**
 * Authorization's first half, for every request: who is asking, from where, and the policy that
 * answers what they may run. Listeners ask `context.caller` after they ack — the answer may need
 * Slack (user groups), and Slack's 3 seconds are for the ack.
 */
export function callerMiddleware(deps: BotDeps): Middleware<AnyMiddlewareArgs, BotContext> {
  return async ({ body, context, next }) => {
    const { user, channel } = whoAndWhere(body);
    if (user) context.caller = new Caller(user, channel, deps.access);
    await next();
  };
}

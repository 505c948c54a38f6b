import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import { Caller } from '../access/caller';
import type { BotContext, BotDeps } from '../deps';

/** Who acts, where, and from which workspace / organisation, from any kind of Slack request. */
function whoAndWhere(body: AnyMiddlewareArgs['body']): {
  user?: string;
  channel?: string;
  team?: string;
  enterprise?: string;
} {
  const b = body as {
    user_id?: string;
    channel_id?: string;
    team_id?: string;
    enterprise_id?: string;
    user?: { id?: string; team_id?: string; enterprise_id?: string };
    channel?: { id?: string };
    enterprise?: { id?: string } | null;
    event?: {
      user?: string;
      channel?: string;
      item?: { channel?: string };
      user_team?: string;
      team?: string;
      user_enterprise?: string;
    };
    view?: { private_metadata?: string };
  };
  const org = (team?: string, enterprise?: string | null) => ({
    ...(team ? { team } : {}),
    ...(enterprise ? { enterprise } : {}),
  });
  if (b.user_id) return { user: b.user_id, channel: b.channel_id, ...org(b.team_id, b.enterprise_id) }; // slash command
  if (b.event) {
    // In a shared channel the event names the author's own workspace (user_team / team).
    return {
      user: b.event.user,
      channel: b.event.channel ?? b.event.item?.channel,
      ...org(b.event.user_team ?? b.event.team, b.event.user_enterprise),
    };
  }
  let channel = b.channel?.id;
  if (!channel && b.view?.private_metadata) {
    // Our modals carry the channel they were opened from (see blocks/run-modal.ts).
    try {
      channel = (JSON.parse(b.view.private_metadata) as { channel?: string }).channel;
    } catch {
      channel = undefined;
    }
  }
  return { user: b.user?.id, channel, ...org(b.user?.team_id, b.user?.enterprise_id ?? b.enterprise?.id) };
}

/**
 * Authorization's first half, for every request: who is asking, from where (channel, workspace,
 * organisation), and the policy that answers what they may do. Listeners ask `context.caller` after they ack — the answer may need
 * Slack (user groups), and Slack's 3 seconds are for the ack.
 */
export function callerMiddleware(deps: BotDeps): Middleware<AnyMiddlewareArgs, BotContext> {
  return async ({ body, context, next }) => {
    const { user, ...where } = whoAndWhere(body);
    if (user) context.caller = new Caller({ user, ...where }, deps.access);
    await next();
  };
}

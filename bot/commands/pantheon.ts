import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotContext, BotDeps } from '../deps';
import type { CommandContext } from './context';
import { dispatch } from './dispatch';
import { parseCommand } from './grammar';

/**
 * `/pantheon …`: acks at once (Slack wants an answer within 3 s whatever Temporal or Redis do),
 * then does the work and answers through the response_url, visible only to the caller.
 */
export function pantheonCommand(deps: BotDeps): Middleware<SlackCommandMiddlewareArgs, BotContext> {
  return async ({ ack, command, respond, client, context }) => {
    await ack();
    // Requests already waiting get to their ack before this one's work takes the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    const { caller } = context;
    if (!caller) return;
    const ctx: CommandContext = {
      deps,
      caller,
      request: {
        kind: 'command',
        id: command.trigger_id,
        user: command.user_id,
        channel: command.channel_id,
      },
      reply: async (message) => {
        await respond({ response_type: 'ephemeral', ...message });
      },
      openModal: async (view) => {
        await client.views.open({ trigger_id: command.trigger_id, view });
      },
      responseUrl: command.response_url,
    };
    await dispatch(ctx, parseCommand(command.text));
  };
}

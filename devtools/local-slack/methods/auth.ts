import { SlackApiError } from '../api-error';
import type { MethodTable } from './context';

export const authMethods: MethodTable = {
  'auth.test': (_args, { ws }) => ({
    url: `https://${ws.team.domain}.slack.com/`,
    team: ws.team.name,
    user: ws.bot.name,
    team_id: ws.team.id,
    user_id: ws.bot.userId,
    bot_id: ws.bot.botId,
    is_enterprise_install: false,
  }),
  // Slack's ping: echoes its arguments, and fails with `error` when asked to.
  'api.test': (args) => {
    const error = args.string('error');
    if (error) throw new SlackApiError(error);
    const { token: _token, ...echo } = args.raw;
    return { args: echo };
  },
};

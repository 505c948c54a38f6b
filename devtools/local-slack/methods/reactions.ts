import { SlackApiError } from '../api-error';
import type { Args } from '../args';
import type { MethodTable } from './context';

/** Emoji names go without colons; `:thumbsup:` is Slack's `invalid_name`. */
function reactionName(args: Args): string {
  const name = args.required('name');
  if (!/^[a-z0-9_+'-]+(::skin-tone-\d)?$/.test(name)) throw new SlackApiError('invalid_name');
  return name;
}

export const reactionMethods: MethodTable = {
  'reactions.add': (args, { ws }) => {
    const channel = ws.directory.resolveChannel(args.required('channel'));
    ws.messages.addReaction(channel.id, args.required('timestamp'), ws.bot.userId, reactionName(args));
    return {};
  },

  'reactions.remove': (args, { ws }) => {
    const channel = ws.directory.resolveChannel(args.required('channel'));
    ws.messages.removeReaction(channel.id, args.required('timestamp'), ws.bot.userId, reactionName(args));
    return {};
  },

  'reactions.get': (args, { ws }) => {
    const channel = ws.directory.resolveChannel(args.required('channel'));
    const message = ws.messages.get(channel.id, args.required('timestamp'));
    if (!message) throw new SlackApiError('message_not_found');
    return { type: 'message', channel: channel.id, message };
  },
};

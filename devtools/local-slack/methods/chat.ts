import { SlackApiError } from '../api-error';
import type { Args } from '../args';
import { isTs } from '../ids';
import { readMessageContent } from '../message-content';
import type { ConversationRecord } from '../types';
import type { Workspace } from '../workspace';
import type { MethodTable } from './context';

/** The checks Slack makes before the bot may write into a conversation. */
export function writableChannel(ws: Workspace, channel: string): ConversationRecord {
  const record = ws.directory.resolveChannel(channel);
  if (record.isArchived) throw new SlackApiError('is_archived');
  if (!record.members.includes(ws.bot.userId)) throw new SlackApiError('not_in_channel');
  return record;
}

function threadTs(args: Args): string | undefined {
  const ts = args.string('thread_ts');
  if (!ts) return undefined;
  if (!isTs(ts)) throw new SlackApiError('invalid_thread_ts');
  return ts;
}

function ownMessage(ws: Workspace, channel: string, ts: string, error: string): void {
  const message = ws.messages.get(channel, ts);
  if (!message) throw new SlackApiError('message_not_found');
  if (message.user !== ws.bot.userId) throw new SlackApiError(error);
}

export const chatMethods: MethodTable = {
  'chat.postMessage': (args, { ws }) => {
    const channel = writableChannel(ws, args.required('channel'));
    const content = readMessageContent(args);
    const thread = threadTs(args);
    const message = ws.messages.post(channel.id, ws.bot.userId, content, {
      ...(thread ? { threadTs: thread } : {}),
      broadcast: args.bool('reply_broadcast'),
    });
    return { channel: channel.id, ts: message.ts, message };
  },

  'chat.update': (args, { ws }) => {
    const channel = ws.directory.resolveChannel(args.required('channel'));
    const ts = args.required('ts');
    ownMessage(ws, channel.id, ts, 'cant_update_message');
    const content = readMessageContent(args);
    const message = ws.messages.update(channel.id, ts, content, ws.bot.userId, 'merge');
    return { channel: channel.id, ts, text: message.text, message };
  },

  'chat.delete': (args, { ws }) => {
    const channel = ws.directory.resolveChannel(args.required('channel'));
    const ts = args.required('ts');
    ownMessage(ws, channel.id, ts, 'cant_delete_message');
    ws.messages.remove(channel.id, ts);
    return { channel: channel.id, ts };
  },

  'chat.postEphemeral': (args, { ws }) => {
    const channel = writableChannel(ws, args.required('channel'));
    const user = args.required('user');
    if (!channel.members.includes(user)) throw new SlackApiError('user_not_in_channel');
    const content = readMessageContent(args);
    const ephemeral = ws.ephemerals.post(channel.id, user, content, 'chat.postEphemeral', threadTs(args));
    return { message_ts: ephemeral.ts };
  },

  'chat.getPermalink': (args, { ws }) => {
    const channel = ws.directory.resolveChannel(args.required('channel'));
    const ts = args.required('message_ts');
    const message = ws.messages.get(channel.id, ts);
    if (!message) throw new SlackApiError('message_not_found');
    const base = `https://${ws.team.domain}.slack.com/archives/${channel.id}/p${ts.replace('.', '')}`;
    const inThread = message.thread_ts && message.thread_ts !== ts;
    return {
      channel: channel.id,
      permalink: inThread ? `${base}?thread_ts=${message.thread_ts}&cid=${channel.id}` : base,
    };
  },
};

import { SlackApiError } from '../api-error';
import type { Args } from '../args';
import { renderConversation } from '../directory';
import type { ConversationRecord, SlackMessage } from '../types';
import type { Workspace } from '../workspace';
import type { MethodTable } from './context';
import { paginate } from './pagination';

const TYPE_OF_KIND: Record<ConversationRecord['kind'], string> = {
  public: 'public_channel',
  private: 'private_channel',
  im: 'im',
  mpim: 'mpim',
};

/** Reading needs membership for anything but public channels, as with a bot token. */
function readable(ws: Workspace, args: Args): ConversationRecord {
  const record = ws.directory.conversation(args.required('channel'));
  if (!record) throw new SlackApiError('channel_not_found');
  if (record.kind !== 'public' && !record.members.includes(ws.bot.userId))
    throw new SlackApiError('channel_not_found');
  return record;
}

/** `oldest` / `latest` / `inclusive` windowing shared by history and replies. */
function inWindow(messages: SlackMessage[], args: Args): SlackMessage[] {
  const oldest = Number(args.string('oldest') ?? '0');
  const latest = args.has('latest') ? Number(args.string('latest')) : Number.POSITIVE_INFINITY;
  const inclusive = args.bool('inclusive');
  return messages.filter((m) => {
    const ts = Number(m.ts);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  });
}

function paged(messages: SlackMessage[], args: Args, defaultLimit: number): Record<string, unknown> {
  const { page, nextCursor } = paginate(messages, args, defaultLimit);
  return { messages: page, has_more: nextCursor !== '', response_metadata: { next_cursor: nextCursor } };
}

export const conversationMethods: MethodTable = {
  'conversations.info': (args, { ws }) => {
    const record = readable(ws, args);
    return { channel: renderConversation(record, ws.bot.userId) };
  },

  'conversations.list': (args, { ws }) => {
    const types = (args.string('types') ?? 'public_channel').split(',').map((t) => t.trim());
    const excludeArchived = args.bool('exclude_archived');
    const visible = ws.directory
      .listConversations()
      .filter((c) => types.includes(TYPE_OF_KIND[c.kind]))
      .filter((c) => c.kind === 'public' || c.members.includes(ws.bot.userId))
      .filter((c) => !excludeArchived || !c.isArchived);
    const { page, nextCursor } = paginate(visible, args, 100);
    return {
      channels: page.map((c) => renderConversation(c, ws.bot.userId)),
      response_metadata: { next_cursor: nextCursor },
    };
  },

  'conversations.members': (args, { ws }) => {
    const { page, nextCursor } = paginate(readable(ws, args).members, args, 100);
    return { members: page, response_metadata: { next_cursor: nextCursor } };
  },

  'conversations.open': (args, { ws }) => {
    const channelId = args.string('channel');
    const existing = channelId ? ws.directory.conversation(channelId) : undefined;
    if (channelId && !existing) throw new SlackApiError('channel_not_found');
    const users = (args.string('users') ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (!existing && users.length === 0) throw new SlackApiError('users_list_not_supplied');
    const { record, alreadyOpen } = existing
      ? { record: existing, alreadyOpen: true }
      : ws.directory.openConversation(users);
    const channel = args.bool('return_im') ? renderConversation(record, ws.bot.userId) : { id: record.id };
    return { no_op: alreadyOpen, already_open: alreadyOpen, channel };
  },

  'conversations.history': (args, { ws }) => {
    const record = readable(ws, args);
    const newestFirst = inWindow(ws.messages.history(record.id), args).reverse();
    return { ...paged(newestFirst, args, 100), pin_count: 0 };
  },

  'conversations.replies': (args, { ws }) => {
    const record = readable(ws, args);
    const thread = ws.messages.thread(record.id, args.required('ts'));
    if (thread.length === 0) throw new SlackApiError('thread_not_found');
    return paged(inWindow(thread, args), args, 1000);
  },
};

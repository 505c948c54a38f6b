import { SlackApiError } from './api-error';
import type { ChangeFeed } from './change-feed';
import type { Directory } from './directory';
import type { TsSource } from './ids';
import type { MessageContent } from './message-content';
import type { SlackFile, SlackMessage } from './types';

export interface PostOptions {
  threadTs?: string;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  broadcast?: boolean;
  files?: SlackFile[];
  clientMsgId?: string;
}

/** `merge` is chat.update (omitted fields are kept); `replace` is response_url's replace_original. */
export type UpdateMode = 'merge' | 'replace';

/** Channel histories with threads and reactions. Readers get copies; only this class mutates. */
export class MessageStore {
  private readonly channels = new Map<string, SlackMessage[]>();

  constructor(
    private readonly feed: ChangeFeed,
    private readonly tsSource: TsSource,
    private readonly directory: Directory,
  ) {}

  post(channel: string, from: string, content: MessageContent, options: PostOptions = {}): SlackMessage {
    const parent = options.threadTs ? this.threadRoot(channel, options.threadTs) : undefined;
    const message: SlackMessage = {
      ...this.author(from),
      type: 'message',
      ts: this.tsSource.next(),
      text: content.text ?? '',
      // The author's own workspace (a Slack Connect user's differs from ours).
      team: this.directory.user(from)?.team_id ?? this.directory.team.id,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(content.metadata ? { metadata: content.metadata } : {}),
      ...(options.files ? { files: options.files, upload: true } : {}),
      ...(options.clientMsgId ? { client_msg_id: options.clientMsgId } : {}),
    };
    if (parent) {
      message.thread_ts = parent.ts;
      if (parent.user) message.parent_user_id = parent.user;
      if (options.broadcast) message.subtype = 'thread_broadcast';
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      parent.reply_users = [...new Set([...(parent.reply_users ?? []), from])];
      parent.reply_users_count = parent.reply_users.length;
      parent.latest_reply = message.ts;
    }
    this.list(channel).push(message);
    this.feed.emit({ type: 'message_posted', channel, message });
    return structuredClone(message);
  }

  get(channel: string, ts: string): SlackMessage | undefined {
    const message = this.find(channel, ts);
    return message && structuredClone(message);
  }

  update(
    channel: string,
    ts: string,
    content: MessageContent,
    editor: string,
    mode: UpdateMode,
  ): SlackMessage {
    const message = this.require(channel, ts);
    if (mode === 'replace') {
      delete message.blocks;
      delete message.attachments;
      message.text = '';
    }
    if (content.text !== undefined) message.text = content.text;
    if (content.blocks !== undefined) message.blocks = content.blocks;
    if (content.attachments !== undefined) message.attachments = content.attachments;
    if (content.metadata !== undefined) message.metadata = content.metadata;
    message.edited = { user: editor, ts: this.tsSource.next() };
    this.feed.emit({ type: 'message_updated', channel, message });
    return structuredClone(message);
  }

  /** A thread parent with replies becomes a tombstone, as in Slack; anything else disappears. */
  remove(channel: string, ts: string): void {
    const message = this.require(channel, ts);
    const messages = this.list(channel);
    if ((message.reply_count ?? 0) > 0 && message.thread_ts === message.ts) {
      for (const key of [
        'user',
        'bot_id',
        'app_id',
        'bot_profile',
        'blocks',
        'attachments',
        'metadata',
        'files',
      ] as const) {
        delete message[key];
      }
      Object.assign(message, { subtype: 'tombstone', text: 'This message was deleted.', hidden: true });
    } else {
      messages.splice(messages.indexOf(message), 1);
      const parent =
        message.thread_ts && message.thread_ts !== ts ? this.find(channel, message.thread_ts) : undefined;
      if (parent) {
        parent.reply_count = Math.max(0, (parent.reply_count ?? 1) - 1);
        const replies = messages.filter((m) => m.thread_ts === parent.ts && m.ts !== parent.ts);
        parent.latest_reply = replies.at(-1)?.ts ?? parent.ts;
      }
    }
    this.feed.emit({
      type: 'message_deleted',
      channel,
      ts,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    });
  }

  addReaction(channel: string, ts: string, user: string, name: string): void {
    const message = this.require(channel, ts);
    const reactions = (message.reactions ??= []);
    let reaction = reactions.find((r) => r.name === name);
    if (reaction?.users.includes(user)) throw new SlackApiError('already_reacted');
    if (!reaction) {
      reaction = { name, users: [], count: 0 };
      reactions.push(reaction);
    }
    reaction.users.push(user);
    reaction.count = reaction.users.length;
    this.feed.emit({ type: 'reaction_added', channel, ts, user, name });
  }

  removeReaction(channel: string, ts: string, user: string, name: string): void {
    const message = this.require(channel, ts);
    const reaction = message.reactions?.find((r) => r.name === name);
    if (!reaction?.users.includes(user)) throw new SlackApiError('no_reaction');
    reaction.users = reaction.users.filter((u) => u !== user);
    reaction.count = reaction.users.length;
    if (reaction.count === 0) message.reactions = message.reactions?.filter((r) => r !== reaction);
    if (message.reactions?.length === 0) delete message.reactions;
    this.feed.emit({ type: 'reaction_removed', channel, ts, user, name });
  }

  /** Every message of the channel, thread replies included, oldest first. */
  all(channel: string): SlackMessage[] {
    return structuredClone(this.channels.get(channel) ?? []);
  }

  /** What the channel itself shows (conversations.history): top-level messages and broadcasts. */
  history(channel: string): SlackMessage[] {
    return this.all(channel).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast',
    );
  }

  /** The thread's parent then its replies (conversations.replies); empty when `ts` is unknown. */
  thread(channel: string, ts: string): SlackMessage[] {
    const parent = this.find(channel, ts);
    if (!parent) return [];
    const rootTs = parent.thread_ts ?? parent.ts;
    return this.all(channel).filter((m) => m.ts === rootTs || m.thread_ts === rootTs);
  }

  snapshot(): Record<string, SlackMessage[]> {
    return structuredClone(Object.fromEntries(this.channels));
  }

  private author(from: string): Partial<SlackMessage> {
    const { bot, team } = this.directory;
    if (from !== bot.userId) return { user: from };
    return {
      user: bot.userId,
      bot_id: bot.botId,
      app_id: bot.appId,
      bot_profile: {
        id: bot.botId,
        app_id: bot.appId,
        name: bot.name,
        team_id: team.id,
        deleted: false,
        updated: 0,
      },
    };
  }

  /** Replying to a reply lands in its thread, as Slack does. */
  private threadRoot(channel: string, threadTs: string): SlackMessage {
    const target = this.find(channel, threadTs);
    if (!target) throw new SlackApiError('thread_not_found');
    if (!target.thread_ts || target.thread_ts === target.ts) return target;
    return this.find(channel, target.thread_ts) ?? target;
  }

  private require(channel: string, ts: string): SlackMessage {
    const message = this.find(channel, ts);
    if (!message) throw new SlackApiError('message_not_found');
    return message;
  }

  private find(channel: string, ts: string): SlackMessage | undefined {
    return this.channels.get(channel)?.find((m) => m.ts === ts);
  }

  private list(channel: string): SlackMessage[] {
    let messages = this.channels.get(channel);
    if (!messages) {
      messages = [];
      this.channels.set(channel, messages);
    }
    return messages;
  }
}

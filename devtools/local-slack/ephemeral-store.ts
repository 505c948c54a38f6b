import { SlackApiError } from './api-error';
import type { ChangeFeed } from './change-feed';
import type { Directory } from './directory';
import type { TsSource } from './ids';
import type { MessageContent } from './message-content';
import type { EphemeralMessage } from './types';

/** Ephemeral messages: shown to one user, never part of history, replaceable through a response_url. */
export class EphemeralStore {
  private readonly items: EphemeralMessage[] = [];

  constructor(
    private readonly feed: ChangeFeed,
    private readonly tsSource: TsSource,
    private readonly directory: Directory,
  ) {}

  post(
    channel: string,
    user: string,
    content: MessageContent,
    via: EphemeralMessage['via'],
    threadTs?: string,
  ): EphemeralMessage {
    const { bot, team } = this.directory;
    const ts = this.tsSource.next();
    const ephemeral: EphemeralMessage = {
      channel,
      user,
      ts,
      via,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      message: {
        type: 'message',
        ts,
        user: bot.userId,
        bot_id: bot.botId,
        app_id: bot.appId,
        team: team.id,
        text: content.text ?? '',
        ...(content.blocks ? { blocks: content.blocks } : {}),
        ...(content.attachments ? { attachments: content.attachments } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      },
    };
    this.items.push(ephemeral);
    this.feed.emit({ type: 'ephemeral_posted', ephemeral });
    return structuredClone(ephemeral);
  }

  get(channel: string, ts: string): EphemeralMessage | undefined {
    const found = this.find(channel, ts);
    return found && structuredClone(found);
  }

  replace(channel: string, ts: string, content: MessageContent): EphemeralMessage {
    const ephemeral = this.find(channel, ts);
    if (!ephemeral) throw new SlackApiError('message_not_found');
    const { blocks: _blocks, attachments: _attachments, ...rest } = ephemeral.message;
    ephemeral.message = {
      ...rest,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
    };
    this.feed.emit({ type: 'ephemeral_updated', ephemeral });
    return structuredClone(ephemeral);
  }

  remove(channel: string, ts: string): void {
    const ephemeral = this.find(channel, ts);
    if (!ephemeral) throw new SlackApiError('message_not_found');
    this.items.splice(this.items.indexOf(ephemeral), 1);
    this.feed.emit({ type: 'ephemeral_deleted', channel, user: ephemeral.user, ts });
  }

  list(filter: { channel?: string; user?: string } = {}): EphemeralMessage[] {
    return structuredClone(
      this.items.filter(
        (e) => (!filter.channel || e.channel === filter.channel) && (!filter.user || e.user === filter.user),
      ),
    );
  }

  private find(channel: string, ts: string): EphemeralMessage | undefined {
    return this.items.find((e) => e.channel === channel && e.ts === ts);
  }
}

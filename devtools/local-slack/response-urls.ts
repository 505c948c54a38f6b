import { randomBytes, randomInt } from 'node:crypto';
import { SlackApiError } from './api-error';
import { Args, isObject } from './args';
import { readMessageContent } from './message-content';
import type { ResponseUrlPost } from './types';
import type { Workspace } from './workspace';

/** What a response_url answers for: the command, or the message whose button was clicked. */
export interface ResponseSource {
  kind: 'commands' | 'actions';
  user: string;
  channel: string;
  message?: { ts: string; ephemeral: boolean; threadTs?: string };
}

interface Entry extends ResponseSource {
  url: string;
  issuedAt: number;
  uses: number;
  posts: ResponseUrlPost[];
  /** The last ephemeral this URL produced: what a command's `replace_original` replaces. */
  lastEphemeralTs?: string;
}

const LIFETIME_MS = 30 * 60 * 1000;
const MAX_USES = 5;

function truthy(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * response_urls as Slack issues them (usable 5 times within 30 minutes), and what posting to one does:
 * an ephemeral reply by default, `response_type: 'in_channel'` for everyone, or replacing / deleting
 * the original message with `replace_original` / `delete_original`.
 */
export class ResponseUrls {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ws: Workspace) {}

  issue(source: ResponseSource, baseUrl: string): string {
    const path = `/${source.kind}/${this.ws.team.id}/${randomInt(1e11, 1e12)}/${randomBytes(12).toString('hex')}`;
    const url = `${baseUrl}${path}`;
    this.entries.set(path, { ...source, url, issuedAt: this.ws.now(), uses: 0, posts: [] });
    return url;
  }

  owns(path: string): boolean {
    return /^\/(commands|actions)\//.test(path);
  }

  posts(url: string): ResponseUrlPost[] {
    return structuredClone([...this.entries.values()].find((e) => e.url === url)?.posts ?? []);
  }

  /** The app POSTed `body` to the URL at `path`. */
  receive(path: string, body: unknown): { status: number; body: Record<string, unknown> } {
    const entry = this.entries.get(path);
    if (!entry || this.ws.now() - entry.issuedAt > LIFETIME_MS)
      return { status: 404, body: { ok: false, error: 'expired_url' } };
    if (entry.uses >= MAX_USES) return { status: 404, body: { ok: false, error: 'used_url' } };
    entry.uses++;
    const post = this.apply(entry, isObject(body) ? body : {}, 'response_url');
    return post.error
      ? { status: post.status, body: { ok: false, error: post.error } }
      : { status: 200, body: { ok: true } };
  }

  /** The app's synchronous answer (ack body) to a command or interaction: applied, not counted as a use. */
  applyAck(url: string, body: Record<string, unknown>): ResponseUrlPost | undefined {
    const entry = [...this.entries.values()].find((e) => e.url === url);
    return entry && this.apply(entry, body, 'ack');
  }

  private apply(entry: Entry, body: Record<string, unknown>, via: ResponseUrlPost['via']): ResponseUrlPost {
    let outcome: ResponseUrlPost['outcome'];
    let error: string | undefined;
    try {
      outcome = this.perform(entry, body, via);
    } catch (caught) {
      if (!(caught instanceof SlackApiError)) throw caught;
      outcome = 'rejected';
      error = caught.error;
    }
    const post: ResponseUrlPost = {
      responseUrl: entry.url,
      via,
      at: this.ws.now(),
      body: structuredClone(body),
      status: error ? 400 : 200,
      outcome,
      ...(error ? { error } : {}),
    };
    entry.posts.push(post);
    this.ws.feed.emit({ type: 'response_url_posted', post });
    return post;
  }

  private perform(
    entry: Entry,
    body: Record<string, unknown>,
    via: ResponseUrlPost['via'],
  ): ResponseUrlPost['outcome'] {
    const { messages, ephemerals, bot } = this.ws;
    const original =
      entry.message ?? (entry.lastEphemeralTs ? { ts: entry.lastEphemeralTs, ephemeral: true } : undefined);

    if (truthy(body.delete_original)) {
      if (!original) throw new SlackApiError('message_not_found');
      if (original.ephemeral) ephemerals.remove(entry.channel, original.ts);
      else messages.remove(entry.channel, original.ts);
      return 'deleted';
    }

    const content = readMessageContent(new Args(body));
    if (truthy(body.replace_original) && original) {
      if (original.ephemeral) ephemerals.replace(entry.channel, original.ts, content);
      else messages.update(entry.channel, original.ts, content, bot.userId, 'replace');
      return 'replaced';
    }

    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : entry.message?.threadTs;
    if (body.response_type === 'in_channel') {
      messages.post(entry.channel, bot.userId, content, threadTs ? { threadTs } : {});
      return 'in_channel';
    }
    entry.lastEphemeralTs = ephemerals.post(entry.channel, entry.user, content, via, threadTs).ts;
    return 'ephemeral';
  }
}

import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import type { Logger } from '../../core/logger';
import type { Gmail } from '../../tools/gmail/client';
import { verdictFromHeaders } from './auth-results';
import type { ReplyHandler } from './reply-handler';

export interface GmailPollerOptions {
  readonly gmail: Gmail;
  readonly handler: Pick<ReplyHandler, 'handle'>;
  readonly user: string;
  readonly query: string;
  /** The Authentication-Results authserv-id to trust: `mx.google.com`. */
  readonly authservId: string;
  readonly intervalMs: number;
  readonly logger?: Logger;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? '')).filter(Boolean);
}

/**
 * Reads approval replies from a Gmail mailbox: lists unread candidates, fetches each raw, trusts
 * Gmail's own Authentication-Results, hands it to the ReplyHandler and marks it read. The handler
 * remembers every message id in Postgres, so a restart never decides on a mail twice.
 */
export class GmailPoller {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(private readonly options: GmailPollerOptions) {}

  /** One pass over every matching message; returns how many were looked at. */
  async pollOnce(): Promise<number> {
    const { gmail, user } = this.options;
    let pageToken: string | undefined;
    let seen = 0;
    do {
      const { data } = await gmail.users.messages.list({ userId: user, q: this.options.query, labelIds: ['UNREAD'], maxResults: 100, ...(pageToken ? { pageToken } : {}) });
      for (const { id } of data.messages ?? []) {
        if (!id) continue;
        await this.#process(id);
        seen++;
      }
      pageToken = data.nextPageToken ?? undefined;
    } while (pageToken);
    return seen;
  }

  async #process(id: string): Promise<void> {
    const { gmail, user } = this.options;
    const { data } = await gmail.users.messages.get({ userId: user, id, format: 'raw' });
    const raw = Buffer.from(data.raw ?? '', 'base64url').toString('utf8');
    const mail = await simpleParser(raw);
    const from = mail.from?.value[0]?.address?.toLowerCase();
    const verdict = verdictFromHeaders(raw, this.options.authservId, from);
    const deliveredTo = mail.headers.get('delivered-to');
    await this.options.handler.handle({
      source: 'gmail',
      messageId: id,
      ...(from ? { from } : {}),
      recipients: [...addresses(mail.to), ...addresses(mail.cc), ...(typeof deliveredTo === 'string' ? [deliveredTo] : [])],
      text: mail.text ?? '',
      authenticated: verdict.authenticated,
      authentication: verdict.summary,
    });
    await gmail.users.messages.modify({ userId: user, id, requestBody: { removeLabelIds: ['UNREAD'] } });
  }

  /** Polls every `intervalMs` until `stop()`; a failed pass is logged and retried next time. */
  start(): void {
    const tick = () => {
      this.#running = this.pollOnce()
        .catch((error: unknown) => this.options.logger?.error({ err: error }, 'gmail poll failed'))
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.options.intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}

import type { DNSResolver } from 'mailauth';
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import type { Logger } from '../../core/logger';
import type { Gmail } from '../../tools/gmail/client';
import { verdictFromHeaders } from './auth-results';
import { autoReplyReason } from './auto-reply';
import type { ReplyHandler } from './reply-handler';
import { verifySender } from './verify-sender';

export interface GmailPollerOptions {
  readonly gmail: Gmail;
  readonly handler: Pick<ReplyHandler, 'handle'>;
  readonly user: string;
  readonly query: string;
  /** The authserv-id of Gmail's Authentication-Results (`mx.google.com`): extra evidence only. */
  readonly authservId: string;
  readonly intervalMs: number;
  /** Larger messages are marked read and never parsed (INBOUND_MAX_MESSAGE_BYTES). */
  readonly maxMessageBytes?: number;
  /** Our name in the verdict; DNS for the DKIM/DMARC lookups (tests answer from a table). */
  readonly mta?: string;
  readonly resolver?: DNSResolver;
  readonly logger?: Logger;
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  return (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((a) => a.value.map((v) => v.address ?? ''))
    .filter(Boolean);
}

/**
 * Reads approval replies from a Gmail mailbox: lists unread candidates, fetches each raw
 * (`format: 'raw'`) and verifies DKIM/DMARC on it with mailauth exactly like inbound SMTP does,
 * hands it to the ReplyHandler and marks it read. Gmail's own Authentication-Results header is
 * extra evidence: a failure there refuses, but a pass never suffices (a sender can forge one
 * where Gmail added none). The handler remembers every message id in Postgres, so a restart
 * never decides on a mail twice.
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
      const { data } = await gmail.users.messages.list({
        userId: user,
        q: this.options.query,
        labelIds: ['UNREAD'],
        maxResults: 100,
        ...(pageToken ? { pageToken } : {}),
      });
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
    const { gmail, user, logger } = this.options;
    const maxBytes = this.options.maxMessageBytes ?? 1024 * 1024;
    const { data } = await gmail.users.messages.get({ userId: user, id, format: 'raw' });
    const markRead = () =>
      gmail.users.messages.modify({ userId: user, id, requestBody: { removeLabelIds: ['UNREAD'] } });
    // base64url is 4/3 of the bytes: refuse on the encoded length before decoding anything.
    if ((data.sizeEstimate ?? 0) > maxBytes || (data.raw ?? '').length > Math.ceil((maxBytes * 4) / 3) + 4) {
      logger?.warn({ id, sizeEstimate: data.sizeEstimate }, 'gmail approval reply too big, not read');
      await markRead();
      return;
    }
    const raw = Buffer.from(data.raw ?? '', 'base64url');
    const text = raw.toString('utf8');
    const mail = await simpleParser(raw);
    const from = mail.from?.value[0]?.address?.toLowerCase();
    const ours = await verifySender(raw, from, {
      mta: this.options.mta ?? 'pantheon.local',
      ...(this.options.resolver ? { resolver: this.options.resolver } : {}),
    });
    const gmailSays = verdictFromHeaders(text, this.options.authservId, from);
    const gmailFailed = /\b(dmarc|dkim)=(fail|quarantine|reject)\b/.test(gmailSays.summary);
    const deliveredTo = mail.headers.get('delivered-to');
    const autoReply = autoReplyReason(text);
    await this.options.handler.handle({
      source: 'gmail',
      messageId: id,
      ...(from ? { from } : {}),
      recipients: [
        ...addresses(mail.to),
        ...addresses(mail.cc),
        ...(typeof deliveredTo === 'string' ? [deliveredTo] : []),
      ],
      text: mail.text ?? '',
      ...(mail.subject ? { subject: mail.subject } : {}),
      ...(mail.messageId ? { inReplyTo: mail.messageId } : {}),
      ...(autoReply ? { autoReply } : {}),
      authenticated: ours.authenticated && !gmailFailed,
      authentication: `${ours.summary}; ${this.options.authservId}: ${gmailSays.summary || 'none'}`,
    });
    await markRead();
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

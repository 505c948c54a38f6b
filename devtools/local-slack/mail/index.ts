import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { LocalDkim, type LocalDkimOptions } from './dkim';
import {
  type CapturedMail,
  type MailAddress,
  type MailEvent,
  type MailSummary,
  Mailbox,
  type SentReply,
} from './mailbox';
import { composeReply } from './reply';
import { CaptureSmtpServer } from './smtp';

export { LocalDkim, type LocalDkimOptions, type DnsRecord, recordsResolver } from './dkim';
export {
  Mailbox,
  type CapturedMail,
  type MailAddress,
  type MailAttachmentInfo,
  type MailEvent,
  type MailSummary,
  type ReplyStatus,
  type SentReply,
} from './mailbox';
export { composeReply, quoteOriginal, type ComposedReply, type ReplyDraft } from './reply';
export { CaptureSmtpServer, captureMessage } from './smtp';

/** The SMTP envelope of a reply: MAIL FROM the local user, RCPT TO the original's Reply-To. */
export interface ReplyEnvelope {
  from: string;
  to: string[];
}

/**
 * Hands a DKIM-signed reply (complete RFC 5322 message) to whatever receives replies: the approvals
 * inbound SMTP server by default, or any function (e.g. calling the inbound handler directly).
 */
export type DeliverReply = (rawMime: Buffer, envelope: ReplyEnvelope) => Promise<void>;

export interface LocalMailOptions {
  /** The local users (name and address), e.g. from the Slack workspace's profiles. */
  users?: MailAddress[];
  /** Where replies go when no `deliverReply` is given: the inbound SMTP server, e.g. `smtp://127.0.0.1:2525`. */
  inboundSmtpUrl?: string;
  deliverReply?: DeliverReply;
  dkim?: LocalDkim | LocalDkimOptions;
}

export interface ReplyInput {
  /** The captured mail answered. */
  id: string;
  /** The local user's address (must be one of `users` or at the DKIM domain). */
  from: string;
  text: string;
}

/**
 * The local mail side of the workspace: an SMTP server capturing what the app sends (per-user
 * inboxes by envelope recipient), and replies from those inboxes, DKIM-signed for the local domain
 * and delivered through `deliverReply`.
 */
export class LocalMail {
  readonly mailbox = new Mailbox();
  readonly dkim: LocalDkim;
  private readonly smtp = new CaptureSmtpServer(this.mailbox);
  private readonly users: MailAddress[];
  private deliver: DeliverReply | undefined;
  private inboundSmtpUrl: string | undefined;

  constructor(options: LocalMailOptions = {}) {
    this.dkim = options.dkim instanceof LocalDkim ? options.dkim : new LocalDkim(options.dkim);
    this.users = (options.users ?? []).map((u) => ({ name: u.name, address: u.address.toLowerCase() }));
    this.deliver = options.deliverReply;
    this.inboundSmtpUrl = options.inboundSmtpUrl;
  }

  /** Starts the capture server; returns its `smtp://` URL (the app's SMTP_URL). */
  start(options: { port?: number; host?: string } = {}): Promise<string> {
    return this.smtp.start(options);
  }

  get smtpUrl(): string {
    return this.smtp.url;
  }

  close(): Promise<void> {
    return this.smtp.close();
  }

  /** Replace the reply path once the inbound side is up (a function, or an SMTP URL to send to). */
  setReplyDelivery(target: DeliverReply | string | undefined): void {
    if (typeof target === 'string') {
      this.inboundSmtpUrl = target;
      this.deliver = undefined;
    } else {
      this.deliver = target;
    }
  }

  /** Whether a reply would go anywhere. */
  get canDeliverReplies(): boolean {
    return !!this.deliver || !!this.inboundSmtpUrl;
  }

  list(address?: string): MailSummary[] {
    return this.mailbox.list(address);
  }

  get(id: string): CapturedMail | undefined {
    return this.mailbox.get(id);
  }

  raw(id: string): Buffer | undefined {
    return this.mailbox.raw(id);
  }

  subscribe(listener: (event: MailEvent) => void): () => void {
    return this.mailbox.subscribe(listener);
  }

  waitForMail(predicate: (mail: CapturedMail) => boolean, timeoutMs?: number): Promise<CapturedMail> {
    return this.mailbox.waitFor(predicate, timeoutMs);
  }

  /**
   * Writes, signs and delivers a reply to mail `id` from a local user. The reply is recorded on the
   * mail (status `delivered` or `failed` with the error) whatever happens; delivery errors reject.
   */
  async reply(input: ReplyInput): Promise<SentReply & { raw: Buffer }> {
    const original = this.mailbox.get(input.id);
    if (!original) throw new Error(`local mail: no mail ${input.id}`);
    const address = input.from.toLowerCase();
    const user = this.users.find((u) => u.address === address);
    if (!user && !address.endsWith(`@${this.dkim.domain}`))
      throw new Error(`local mail: ${input.from} is not a local user`);
    const composed = await composeReply({
      original,
      from: user ?? { name: '', address },
      text: input.text,
      domain: this.dkim.domain,
    });
    const raw = await this.dkim.sign(composed.raw);
    const reply: SentReply = {
      id: randomUUID(),
      at: Date.now(),
      from: user ?? { name: '', address },
      to: composed.to,
      subject: composed.subject,
      text: input.text,
      messageId: composed.messageId,
      status: 'sending',
    };
    this.mailbox.putReply(input.id, reply);
    try {
      await this.deliverReply(raw, composed.envelope);
      reply.status = 'delivered';
    } catch (error) {
      reply.status = 'failed';
      reply.error = error instanceof Error ? error.message : String(error);
    }
    this.mailbox.putReply(input.id, reply);
    return { ...reply, raw };
  }

  private async deliverReply(raw: Buffer, envelope: ReplyEnvelope): Promise<void> {
    if (this.deliver) return this.deliver(raw, envelope);
    if (!this.inboundSmtpUrl)
      throw new Error('no inbound mail path is configured (set inboundSmtpUrl or deliverReply)');
    const transport = createTransport(this.inboundSmtpUrl);
    try {
      await transport.sendMail({ envelope: { from: envelope.from, to: envelope.to }, raw });
    } finally {
      transport.close();
    }
  }
}

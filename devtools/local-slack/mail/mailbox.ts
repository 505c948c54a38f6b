import { EventEmitter } from 'node:events';

/** What the local inbox keeps of a mail the app sent, and of the replies written to it. Plain JSON. */

export interface MailAddress {
  name: string;
  address: string;
}

export interface MailAttachmentInfo {
  filename: string;
  contentType: string;
  size: number;
}

export type ReplyStatus = 'sending' | 'delivered' | 'failed';

export interface SentReply {
  id: string;
  at: number;
  from: MailAddress;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  status: ReplyStatus;
  error?: string;
}

export interface CapturedMail {
  id: string;
  receivedAt: number;
  /** SMTP envelope: who it was delivered to decides whose inbox shows it (Bcc included). */
  envelope: { from: string; to: string[] };
  messageId?: string;
  subject: string;
  date?: string;
  from: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  inReplyTo?: string;
  references: string[];
  text: string;
  html?: string;
  attachments: MailAttachmentInfo[];
  replies: SentReply[];
}

/** A line of the inbox list. */
export interface MailSummary {
  id: string;
  receivedAt: number;
  subject: string;
  from: MailAddress[];
  to: MailAddress[];
  recipients: string[];
  snippet: string;
  hasHtml: boolean;
  replies: number;
}

export type MailEvent =
  { type: 'mail_received'; mail: MailSummary } | { type: 'mail_reply'; id: string; reply: SentReply };

/** Every captured mail, newest last, with its raw source kept for "Show original" and DKIM checks. */
export class Mailbox {
  private readonly mails: CapturedMail[] = [];
  private readonly raws = new Map<string, Buffer>();
  private readonly emitter = new EventEmitter();
  private nextId = 1;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  add(mail: Omit<CapturedMail, 'id' | 'replies'>, raw: Buffer): CapturedMail {
    const stored: CapturedMail = {
      ...structuredClone(mail),
      id: `M${String(this.nextId++).padStart(4, '0')}`,
      replies: [],
    };
    this.mails.push(stored);
    this.raws.set(stored.id, raw);
    this.emitter.emit('event', { type: 'mail_received', mail: summarize(stored) } satisfies MailEvent);
    return structuredClone(stored);
  }

  /** Mails delivered to `address` (envelope recipient), or all; newest first. */
  list(address?: string): MailSummary[] {
    const wanted = address?.toLowerCase();
    return this.mails
      .filter((m) => !wanted || m.envelope.to.includes(wanted))
      .map(summarize)
      .reverse();
  }

  get(id: string): CapturedMail | undefined {
    const mail = this.mails.find((m) => m.id === id);
    return mail && structuredClone(mail);
  }

  raw(id: string): Buffer | undefined {
    return this.raws.get(id);
  }

  /** Records or updates (by reply id) a reply to mail `id`. */
  putReply(id: string, reply: SentReply): void {
    const mail = this.mails.find((m) => m.id === id);
    if (!mail) throw new Error(`local mail: no mail ${id}`);
    const index = mail.replies.findIndex((r) => r.id === reply.id);
    if (index === -1) mail.replies.push(structuredClone(reply));
    else mail.replies[index] = structuredClone(reply);
    this.emitter.emit('event', { type: 'mail_reply', id, reply: structuredClone(reply) } satisfies MailEvent);
  }

  subscribe(listener: (event: MailEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** The first mail (already captured or coming) matching `predicate`. */
  waitFor(predicate: (mail: CapturedMail) => boolean, timeoutMs = 5000): Promise<CapturedMail> {
    const found = this.mails.find(predicate);
    if (found) return Promise.resolve(structuredClone(found));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        unsubscribe();
        reject(new Error(`local mail: no matching mail within ${timeoutMs} ms`));
      }, timeoutMs);
      const unsubscribe = this.subscribe((event) => {
        if (event.type !== 'mail_received') return;
        const mail = this.mails.find((m) => m.id === event.mail.id);
        if (!mail || !predicate(mail)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(structuredClone(mail));
      });
    });
  }
}

export function summarize(mail: CapturedMail): MailSummary {
  const source = mail.text || (mail.html ?? '').replace(/<style[\s\S]*?<\/style>|<[^>]+>/gi, ' ');
  return {
    id: mail.id,
    receivedAt: mail.receivedAt,
    subject: mail.subject,
    from: mail.from,
    to: mail.to,
    recipients: mail.envelope.to,
    snippet: source
      .replace(/&nbsp;/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 160),
    hasHtml: !!mail.html,
    replies: mail.replies.length,
  };
}

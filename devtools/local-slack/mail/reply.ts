import { randomUUID } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { CapturedMail, MailAddress } from './mailbox';

export interface ReplyDraft {
  /** The original mail. */
  original: CapturedMail;
  from: MailAddress;
  text: string;
  /** Mail domain for the Message-ID. */
  domain: string;
  now?: Date;
}

export interface ComposedReply {
  raw: Buffer;
  messageId: string;
  envelope: { from: string; to: string[] };
  to: string[];
  subject: string;
}

function formatAddress(a: MailAddress): string {
  return a.name ? `${a.name} <${a.address}>` : a.address;
}

/** "On Tue, 3 Mar 2026 at 10:00, Pantheon <pantheon@example.com> wrote:" then "> " lines, as Gmail quotes. */
export function quoteOriginal(original: CapturedMail): string {
  const sent = new Date(original.date ?? original.receivedAt);
  const day = sent.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const time = sent.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  const sender = original.from[0] ? formatAddress(original.from[0]) : 'someone';
  const body = original.text.replace(/\r\n/g, '\n').trimEnd();
  const quoted = body
    .split('\n')
    .map((line) => (line.startsWith('>') ? `>${line}` : `> ${line}`))
    .join('\n');
  return `On ${day.replace(/,/g, '')} at ${time}, ${sender} wrote:\n${quoted}\n`;
}

/**
 * A plain-text reply as a mail client writes it: to the Reply-To (else From), "Re:" subject,
 * In-Reply-To / References threading, the answer on top and the original quoted below.
 */
export async function composeReply(draft: ReplyDraft): Promise<ComposedReply> {
  const { original, from } = draft;
  const to = (original.replyTo.length ? original.replyTo : original.from).map((a) => a.address);
  if (to.length === 0) throw new Error('local mail: the original has neither Reply-To nor From');
  const subject = /^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`;
  const messageId = `<${randomUUID()}@${draft.domain}>`;
  const references = [...original.references, ...(original.messageId ? [original.messageId] : [])];
  const text = `${draft.text.replace(/\r\n/g, '\n').trimEnd()}\n\n${quoteOriginal(original)}`;
  const composer = new MailComposer({
    from: formatAddress(from),
    to,
    subject,
    text,
    messageId,
    date: draft.now ?? new Date(),
    ...(original.messageId ? { inReplyTo: original.messageId } : {}),
    ...(references.length ? { references } : {}),
  });
  const raw = await new Promise<Buffer>((resolve, reject) =>
    composer.compile().build((error, message) => (error ? reject(error) : resolve(message))),
  );
  return { raw, messageId, envelope: { from: from.address, to }, to, subject };
}

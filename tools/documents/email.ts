import { simpleParser } from 'mailparser';
import type { AddressObject, EmailAddress as ParsedAddress } from 'mailparser';
import { documentInvalid, messageOf } from './errors';
import type { EmailAddress, ParseEmailOutput } from './models';

const activity = 'documents.parseEmail';
const maxOutputChars = 1_500_000;

/**
 * An RFC 822 message (.eml) parsed with mailparser: addresses, subject, date, text and HTML
 * bodies, and every attachment — its content inline (base64) only up to `inlineBytes` each and
 * ~1.5 MB in all, so attachments never bloat the workflow history past Temporal's payload limit. `cid:` links in the HTML stay links (no
 * inline images turned into data URIs).
 */
export async function parseEml(bytes: Uint8Array, inlineBytes: number): Promise<ParseEmailOutput> {
  if (Buffer.from(bytes).toString('latin1').trim() === '')
    throw documentInvalid(activity, 'the file is empty: an .eml needs headers (From, Subject, …) and a body');
  let mail: Awaited<ReturnType<typeof simpleParser>>;
  try {
    mail = await simpleParser(Buffer.from(bytes), { keepCidLinks: true });
  } catch (error) {
    throw documentInvalid(activity, `the file is not a readable email (${messageOf(error)})`);
  }
  if (mail.headers.size === 0)
    throw documentInvalid(
      activity,
      'the file is not an email: it has no headers (From, To, Subject, Date, …)',
    );
  const text = mail.text ?? '';
  const html = typeof mail.html === 'string' ? mail.html : null;
  // Attachments inline while the result stays under ~1.5 MB (Temporal's payload limit is 2 MB).
  let budget = maxOutputChars - text.length - (html?.length ?? 0);
  return {
    from: addresses(mail.from),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ?? '',
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    messageId: mail.messageId ?? null,
    text,
    html,
    attachments: mail.attachments.map((attachment) => {
      const encoded = Math.ceil(attachment.size / 3) * 4;
      const inline = attachment.size <= inlineBytes && encoded <= budget;
      if (inline) budget -= encoded;
      return {
        filename: attachment.filename ?? null,
        contentType: attachment.contentType,
        size: attachment.size,
        contentId: attachment.cid ?? null,
        ...(inline ? { base64: attachment.content.toString('base64') } : {}),
        contentOmitted: !inline,
      };
    }),
  };
}

/** mailparser's address objects (one header, or several) flattened, groups included. */
function addresses(value: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const flatten = (list: readonly ParsedAddress[]): EmailAddress[] =>
    list.flatMap((a) =>
      a.group ? flatten(a.group) : a.address ? [{ name: a.name, address: a.address }] : [],
    );
  if (!value) return [];
  return (Array.isArray(value) ? value : [value]).flatMap((header) => flatten(header.value));
}

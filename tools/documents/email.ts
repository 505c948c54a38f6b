import { simpleParser } from 'mailparser';
import type { AddressObject, EmailAddress as ParsedAddress } from 'mailparser';
import { documentInvalid, messageOf } from './errors';
import type { EmailAddress, ParseEmailOutput } from './models';

const activity = 'documents.parseEmail';

/**
 * An RFC 822 message (.eml) parsed with mailparser: addresses, subject, date, text and HTML
 * bodies, and every attachment — its content inline (base64) only up to `inlineBytes`, so a
 * large attachment never bloats the workflow history. `cid:` links in the HTML stay links (no
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
  return {
    from: addresses(mail.from),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ?? '',
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    messageId: mail.messageId ?? null,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : null,
    attachments: mail.attachments.map((attachment) => {
      const inline = attachment.size <= inlineBytes;
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

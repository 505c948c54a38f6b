import { headerFields } from './auth-results';

/**
 * Why a mail is machine-sent (RFC 3834 auto-replies, vacation responders, list traffic, bounces),
 * or undefined for a person's reply. Such mail never decides and is never answered: answering
 * an auto-reply is how mail loops start.
 *
 * `envelopeSender` is the SMTP MAIL FROM (`''` for the null path `<>`); without it (Gmail) the
 * Return-Path header stands in.
 */
export function autoReplyReason(raw: string, envelopeSender?: string): string | undefined {
  const headers = headerFields(raw);
  const value = (name: string) => headers.find((h) => h.name === name)?.value.trim();
  const has = (name: string) => headers.some((h) => h.name === name);

  const autoSubmitted = value('auto-submitted');
  if (autoSubmitted !== undefined && autoSubmitted.split(';')[0]!.trim().toLowerCase() !== 'no')
    return `auto-submitted:${autoSubmitted.split(';')[0]!.trim().toLowerCase()}`;
  if (has('x-autoreply')) return 'x-autoreply';
  if (has('x-autorespond')) return 'x-autorespond';
  const precedence = value('precedence')?.toLowerCase();
  if (precedence && ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return `precedence:${precedence}`;
  if (has('list-id') || has('list-unsubscribe')) return 'mailing-list';
  if (/^multipart\/report\b/i.test(value('content-type') ?? '')) return 'delivery-report';

  const sender = envelopeSender ?? value('return-path')?.replace(/[<>\s]/g, '');
  if (sender === '') return 'null-return-path';
  const from = value('from') ?? '';
  if ([sender ?? '', from].some((address) => /(^|[<\s"])(mailer-daemon|postmaster)@/i.test(address)))
    return 'mailer-daemon';
  return undefined;
}

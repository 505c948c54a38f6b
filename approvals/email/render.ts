import { plainNameOf } from '../identity';
import type { ApprovalRequestRecord } from '../store';

/**
 * The approval email: plain text and a table-based HTML part with inline styles only (what Gmail
 * and Outlook render alike). Links open a confirmation page; nothing is decided by opening them.
 */
export interface ApprovalEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Slack mrkdwn to plain text: `<url|label>` → `label (url)`, `<@U1>` → `@U1`, bold/italic marks dropped. */
export function mrkdwnToText(text: string): string {
  return text
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(
      /<([@#!])([^|>]+)(?:\|([^>]+))?>/g,
      (_, sigil: string, id: string, label?: string) => label ?? `${sigil === '!' ? '@' : sigil}${id}`,
    )
    .replace(/(^|\s)[*_~]([^*_~\n]+)[*_~](?=\s|$|[.,;:!?])/g, '$1$2');
}

export function decisionLink(
  publicUrl: string,
  requestId: string,
  token: string,
  decision: 'approve' | 'reject',
): string {
  const url = new URL('/approvals/decide', publicUrl);
  url.searchParams.set('r', requestId);
  url.searchParams.set('t', token);
  url.searchParams.set('d', decision);
  return url.toString();
}

export function renderApprovalEmail(
  request: ApprovalRequestRecord,
  links: { approve: string; reject: string },
  options: { kind: 'request' | 'reminder' | 'escalation'; canReply: boolean },
): ApprovalEmail {
  const prefix =
    options.kind === 'reminder' ? 'Reminder: ' : options.kind === 'escalation' ? 'Escalated: ' : '';
  const subject = `${prefix}Approval needed: ${request.title}`;
  const details = mrkdwnToText(request.details);
  const action = request.actionName
    ? `${request.actionName} ${JSON.stringify(request.actionArgs ?? {}, null, 2)}`
    : undefined;
  const deadline = request.deadline.toUTCString();
  const asker = request.requestedBy ? plainNameOf(request.requestedBy) : undefined;
  const replyHint =
    'Or reply to this email with APPROVE or REJECT on the first line; anything after it is your comment.';

  const text = [
    request.title,
    '',
    ...(details ? [details, ''] : []),
    ...(action ? ['Action:', action, ''] : []),
    ...(asker ? [`Requested by: ${asker}`] : []),
    `Run: ${request.workflowId}`,
    `Decide by: ${deadline}`,
    '',
    `Approve: ${links.approve}`,
    `Reject:  ${links.reject}`,
    '',
    ...(options.canReply ? [replyHint, ''] : []),
    'The links are yours alone and work once.',
  ].join('\n');

  const button = (href: string, label: string, color: string) =>
    `<td style="border-radius:4px;background:${color}"><a href="${escape(href)}" style="display:inline-block;padding:10px 22px;font:bold 15px Arial,sans-serif;color:#ffffff;text-decoration:none">${label}</a></td>`;
  const row = (label: string, value: string) =>
    `<tr><td style="padding:2px 12px 2px 0;color:#616061;font:14px Arial,sans-serif">${label}</td><td style="padding:2px 0;font:14px Arial,sans-serif">${escape(value)}</td></tr>`;
  const html = `<!DOCTYPE html>
<html><body style="margin:0;padding:0;background:#f4f4f4">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f4"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border:1px solid #dddddd">
<tr><td style="padding:24px;font:bold 20px Arial,sans-serif;color:#1d1c1d">${escape(prefix + request.title)}</td></tr>
${details ? `<tr><td style="padding:0 24px 16px;font:15px/1.5 Arial,sans-serif;color:#1d1c1d;white-space:pre-wrap">${escape(details)}</td></tr>` : ''}
${action ? `<tr><td style="padding:0 24px 16px"><pre style="margin:0;padding:12px;background:#f8f8f8;border:1px solid #e8e8e8;font:13px Consolas,monospace;white-space:pre-wrap">${escape(action)}</pre></td></tr>` : ''}
<tr><td style="padding:0 24px 16px"><table role="presentation" cellpadding="0" cellspacing="0">
${asker ? row('Requested by', asker) : ''}${row('Run', request.workflowId)}${row('Decide by', deadline)}
</table></td></tr>
<tr><td style="padding:8px 24px 24px"><table role="presentation" cellpadding="0" cellspacing="0"><tr>
${button(links.approve, 'Approve', '#007a5a')}<td style="width:12px"></td>${button(links.reject, 'Reject', '#e01e5a')}
</tr></table></td></tr>
<tr><td style="padding:0 24px 24px;font:13px Arial,sans-serif;color:#616061">${options.canReply ? `${escape(replyHint)}<br>` : ''}The links are yours alone and work once.</td></tr>
</table></td></tr></table>
</body></html>`;
  return { subject, text, html };
}

/**
 * The answer to a reply in which no decision could be read ("approve?", "yes, but …"): says
 * that nothing was decided and exactly what to write.
 */
export function renderUnreadableReplyEmail(
  request: Pick<ApprovalRequestRecord, 'title' | 'deadline'>,
  originalSubject?: string,
): ApprovalEmail {
  const subject =
    originalSubject && /^re:/i.test(originalSubject)
      ? originalSubject
      : `Re: ${originalSubject ?? `Approval needed: ${request.title}`}`;
  const text = [
    `We could not read a decision in your reply about "${request.title}", so nothing was decided.`,
    '',
    'To decide, reply to this email with one word alone on the first line:',
    '',
    '  APPROVE   or   REJECT',
    '',
    'A comment may follow after a dash, a colon or on the next lines, for example:',
    '',
    '  reject - too expensive',
    '',
    'Questions and hedged answers ("approve?", "yes, but …") do not count.',
    `Decide by: ${request.deadline.toUTCString()}`,
  ].join('\n');
  const html = `<!DOCTYPE html>
<html><body><pre style="font:14px/1.5 Arial,sans-serif;white-space:pre-wrap">${escape(text)}</pre></body></html>`;
  return { subject, text, html };
}

import { commentLimit } from '../models';

/** The small HTML pages behind email links: a confirmation form and a result. Inline styles only. */
const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escape(title)}</title></head>
<body style="margin:0;background:#f4f4f4;font:16px/1.5 Arial,sans-serif;color:#1d1c1d">
<main style="max-width:560px;margin:40px auto;padding:24px;background:#fff;border:1px solid #ddd">
<h1 style="font-size:20px;margin:0 0 16px">${escape(title)}</h1>
${body}
</main></body></html>`;
}

export interface ConfirmPage {
  readonly title: string;
  readonly details: string;
  readonly approver: string;
  readonly decision: 'approve' | 'reject';
  readonly requestId: string;
  readonly token: string;
}

/** GET shows this and decides nothing: mail scanners open links too. The POST decides. */
export function confirmPage(p: ConfirmPage): string {
  const approve = p.decision === 'approve';
  const verb = approve ? 'Approve' : 'Reject';
  return page(
    `${verb}: ${p.title}`,
    `
${p.details ? `<p style="white-space:pre-wrap">${escape(p.details)}</p>` : ''}
<p>You are answering as <strong>${escape(p.approver)}</strong>.</p>
<form method="post" action="/approvals/decide">
<input type="hidden" name="r" value="${escape(p.requestId)}">
<input type="hidden" name="t" value="${escape(p.token)}">
<input type="hidden" name="d" value="${p.decision}">
<label for="comment" style="display:block;margin:16px 0 4px">${approve ? 'Comment (optional, ' : 'Reason ('}up to ${commentLimit} characters)</label>
<textarea id="comment" name="comment" rows="4" maxlength="${commentLimit}" ${approve ? '' : 'required'} style="width:100%;box-sizing:border-box;font:inherit"></textarea>
<button type="submit" style="margin-top:16px;padding:10px 22px;border:0;border-radius:4px;color:#fff;font:bold 15px Arial,sans-serif;background:${approve ? '#007a5a' : '#e01e5a'}">${verb}</button>
</form>`,
  );
}

export function resultPage(title: string, message: string): string {
  return page(title, `<p>${escape(message)}</p>`);
}

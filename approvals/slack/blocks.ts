import { mentionOf } from '../identity';
import type { ApprovalResult } from '../models';
import type { ApprovalRequestRecord } from '../store';

/** Block Kit for approval messages and the decision modal. Pure: no Slack client here. */
export const approveActionId = 'approvals.approve';
export const rejectActionId = 'approvals.reject';
export const decideCallbackId = 'approvals.decide';
export const commentBlockId = 'approvals.comment';
export const commentActionId = 'comment';

type Block = Record<string, unknown>;

/** What a button carries: the request and the action hash the person is looking at. */
export interface ButtonValue {
  readonly r: string;
  readonly h?: string;
  /** Set when the request asks for a comment on approval too (Approve opens a modal). */
  readonly c?: 1;
}

export function parseButtonValue(value: string | undefined): ButtonValue | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as Partial<ButtonValue>;
    if (typeof parsed.r !== 'string') return undefined;
    return { r: parsed.r, ...(typeof parsed.h === 'string' ? { h: parsed.h } : {}), ...(parsed.c === 1 ? { c: 1 as const } : {}) };
  } catch {
    return undefined;
  }
}

const slackDate = (date: Date) =>
  `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} at {time}|${date.toISOString().replace('T', ' ').slice(0, 16)} UTC>`;

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function bodyBlocks(request: ApprovalRequestRecord, prefix = ''): Block[] {
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: truncate(`${prefix}${request.title}`, 150), emoji: true } }];
  if (request.details) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(request.details, 3000) } });
  if (request.actionName) {
    const args = JSON.stringify(request.actionArgs ?? {}, null, 2);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Action* \`${request.actionName}\`\n\`\`\`${truncate(args, 2800)}\`\`\``, 3000) } });
  }
  return blocks;
}

function contextLine(request: ApprovalRequestRecord): Block {
  const parts = [
    request.requestedBy ? `Requested by ${mentionOf(request.requestedBy)}` : undefined,
    `run \`${request.workflowId}\``,
    `decide by ${slackDate(request.deadline)}`,
    request.quorum > 1 ? `${request.quorum} approvals needed` : undefined,
  ].filter(Boolean);
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(parts.join(' · '), 3000) }] };
}

/** The message approvers act on: details, action, who asked, deadline, Approve/Reject. */
export function requestMessage(request: ApprovalRequestRecord, kind: 'request' | 'reminder' | 'escalation' = 'request'): { text: string; blocks: Block[] } {
  const prefix = kind === 'reminder' ? '⏰ Reminder: ' : kind === 'escalation' ? '⚠️ Escalated: ' : '';
  const value = JSON.stringify({ r: request.id, ...(request.actionHash ? { h: request.actionHash } : {}), ...(request.allowComment ? { c: 1 } : {}) } satisfies ButtonValue);
  return {
    text: `${prefix}Approval needed: ${request.title}`,
    blocks: [
      ...bodyBlocks(request, prefix),
      contextLine(request),
      {
        type: 'actions',
        block_id: 'approvals.buttons',
        elements: [
          { type: 'button', action_id: approveActionId, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value },
          { type: 'button', action_id: rejectActionId, style: 'danger', text: { type: 'plain_text', text: 'Reject' }, value },
        ],
      },
    ],
  };
}

const viaLabel: Record<ApprovalResult['via'], string> = {
  slack: 'in Slack',
  'email-link': 'by email link',
  'email-reply': 'by email reply',
  cli: 'from the CLI',
  timeout: '',
};

/** Every copy after the decision: who, how, when and why; no buttons. */
export function decidedMessage(request: ApprovalRequestRecord, result: ApprovalResult): { text: string; blocks: Block[] } {
  const at = slackDate(new Date(result.at));
  const headline =
    result.decision === 'expired'
      ? result.decidedBy === 'cancelled'
        ? `🚫 *Cancelled* — the run was cancelled ${at}`
        : `⌛ *Expired* — nobody decided before ${at}`
      : `${result.decision === 'approved' ? '✅ *Approved*' : '❌ *Rejected*'} by ${mentionOf(result.decidedBy)} ${viaLabel[result.via]} · ${at}`;
  const lines = [headline];
  if (result.comment) lines.push(`> ${truncate(result.comment, 2000).replace(/\n/g, '\n> ')}`);
  const others = result.votes.filter((v) => v.approver !== result.decidedBy && v.approve);
  if (others.length > 0) lines.push(`Also approved by ${others.map((v) => mentionOf(v.approver)).join(', ')}`);
  const plain = result.decision === 'expired' ? 'expired' : `${result.decision} by ${result.decidedBy}`;
  return {
    text: `${request.title}: ${plain}`,
    blocks: [...bodyBlocks(request), contextLine(request), { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } }],
  };
}

/** The modal asking for a reason (reject) or an optional comment (approve). */
export function decisionModal(request: ApprovalRequestRecord, approve: boolean, button: ButtonValue, origin: { channel?: string; ts?: string }): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: decideCallbackId,
    private_metadata: JSON.stringify({ r: button.r, ...(button.h ? { h: button.h } : {}), approve, ...origin }),
    title: { type: 'plain_text', text: approve ? 'Approve request' : 'Reject request' },
    submit: { type: 'plain_text', text: approve ? 'Approve' : 'Reject' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${truncate(request.title, 2900)}*` } },
      {
        type: 'input',
        block_id: commentBlockId,
        optional: approve,
        label: { type: 'plain_text', text: approve ? 'Comment (optional)' : 'Reason' },
        element: { type: 'plain_text_input', action_id: commentActionId, multiline: true, max_length: 3000 },
      },
    ],
  };
}

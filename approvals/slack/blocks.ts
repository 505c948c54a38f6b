import type { KnownBlock, ModalView } from '@slack/types';
import { actions, button, context, header, plainText, section } from '../../tools/slack/blocks/kit';
import type { SlackMessage } from '../../tools/slack/blocks/kit';
import { clip, limits, slackDate } from '../../tools/slack/blocks/mrkdwn';
import { mentionOf } from '../identity';
import type { ApprovalResult } from '../models';
import type { ApprovalRequestRecord } from '../store';

/** Block Kit for approval messages and the decision modal. Pure: no Slack client here. */
export const approveActionId = 'approvals.approve';
export const rejectActionId = 'approvals.reject';
export const decideCallbackId = 'approvals.decide';
export const commentBlockId = 'approvals.comment';
export const commentActionId = 'comment';

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
    return {
      r: parsed.r,
      ...(typeof parsed.h === 'string' ? { h: parsed.h } : {}),
      ...(parsed.c === 1 ? { c: 1 as const } : {}),
    };
  } catch {
    return undefined;
  }
}

/** `Mar 1st at 12:00`, in the reader's time zone; `2026-03-01 12:00 UTC` where Slack cannot. */
const approvalDate = (date: Date) =>
  slackDate(date, {
    tokens: '{date_short_pretty} at {time}',
    fallback: `${date.toISOString().replace('T', ' ').slice(0, 16)} UTC`,
  });

function bodyBlocks(request: ApprovalRequestRecord, prefix = ''): KnownBlock[] {
  const blocks: KnownBlock[] = [header(`${prefix}${request.title}`, { emoji: true })];
  if (request.details) blocks.push(section(request.details));
  if (request.actionName) {
    const args = JSON.stringify(request.actionArgs ?? {}, null, 2);
    blocks.push(section(`*Action* \`${request.actionName}\`\n\`\`\`${clip(args, 2800)}\`\`\``));
  }
  return blocks;
}

function contextLine(request: ApprovalRequestRecord): KnownBlock {
  const parts = [
    request.requestedBy ? `Requested by ${mentionOf(request.requestedBy)}` : undefined,
    `run \`${request.workflowId}\``,
    `decide by ${approvalDate(request.deadline)}`,
    request.quorum > 1 ? `${request.quorum} approvals needed` : undefined,
  ].filter(Boolean);
  return context(parts.join(' · '));
}

/** The message approvers act on: details, action, who asked, deadline, Approve/Reject. */
export function requestMessage(
  request: ApprovalRequestRecord,
  kind: 'request' | 'reminder' | 'escalation' = 'request',
): SlackMessage {
  const prefix = kind === 'reminder' ? '⏰ Reminder: ' : kind === 'escalation' ? '⚠️ Escalated: ' : '';
  const value = JSON.stringify({
    r: request.id,
    ...(request.actionHash ? { h: request.actionHash } : {}),
    ...(request.allowComment ? { c: 1 } : {}),
  } satisfies ButtonValue);
  return {
    text: `${prefix}Approval needed: ${request.title}`,
    blocks: [
      ...bodyBlocks(request, prefix),
      contextLine(request),
      actions(
        [
          button({ actionId: approveActionId, style: 'primary', text: 'Approve', value }),
          button({ actionId: rejectActionId, style: 'danger', text: 'Reject', value }),
        ],
        'approvals.buttons',
      ),
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
export function decidedMessage(request: ApprovalRequestRecord, result: ApprovalResult): SlackMessage {
  const at = approvalDate(new Date(result.at));
  const headline =
    result.decision === 'expired'
      ? result.decidedBy === 'cancelled'
        ? `🚫 *Cancelled* — the run was cancelled ${at}`
        : `⌛ *Expired* — nobody decided before ${at}`
      : `${result.decision === 'approved' ? '✅ *Approved*' : '❌ *Rejected*'} by ${mentionOf(result.decidedBy)} ${viaLabel[result.via]} · ${at}`;
  const lines = [headline];
  if (result.comment) lines.push(`> ${clip(result.comment, 2000).replace(/\n/g, '\n> ')}`);
  const others = result.votes.filter((v) => v.approver !== result.decidedBy && v.approve);
  if (others.length > 0)
    lines.push(`Also approved by ${others.map((v) => mentionOf(v.approver)).join(', ')}`);
  const plain = result.decision === 'expired' ? 'expired' : `${result.decision} by ${result.decidedBy}`;
  return {
    text: `${request.title}: ${plain}`,
    blocks: [...bodyBlocks(request), contextLine(request), section(lines.join('\n'))],
  };
}

/** The modal asking for a reason (reject) or an optional comment (approve). */
export function decisionModal(
  request: ApprovalRequestRecord,
  approve: boolean,
  clicked: ButtonValue,
  origin: { channel?: string; ts?: string },
): ModalView {
  return {
    type: 'modal',
    callback_id: decideCallbackId,
    private_metadata: JSON.stringify({
      r: clicked.r,
      ...(clicked.h ? { h: clicked.h } : {}),
      approve,
      ...origin,
    }),
    title: plainText(approve ? 'Approve request' : 'Reject request', limits.modalTitle),
    submit: plainText(approve ? 'Approve' : 'Reject'),
    close: plainText('Cancel'),
    blocks: [
      section(`*${clip(request.title, 2900)}*`),
      {
        type: 'input',
        block_id: commentBlockId,
        optional: approve,
        label: plainText(approve ? 'Comment (optional)' : 'Reason', limits.inputLabel),
        element: { type: 'plain_text_input', action_id: commentActionId, multiline: true, max_length: 3000 },
      },
    ],
  };
}

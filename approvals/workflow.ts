import { ApplicationFailure, CancellationScope, condition, isCancellation, log, setHandler, workflowInfo } from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { approvalOptionsSchema, slackMemoSchema, voteSchema } from './models';
import type { ApprovalOptions, ApprovalResult, Vote } from './models';
import { approvalVoteSignal } from './signals';
import { approvalActivities, escalateApproval, finalizeApproval, notifyApprovers, openApproval } from './specs';

export type { ApprovalOptions, ApprovalResult } from './models';

interface OpenRequest {
  allowed: Set<string>;
  actionHash?: string;
  quorum: number;
  votes: Vote[];
  result?: ApprovalResult;
  closed: boolean;
  /** Reminders sent so far, across stages: each has its own idempotency round. */
  reminders: number;
}

interface ApprovalState {
  sequence: number;
  requests: Map<string, OpenRequest>;
  /** Votes that arrived before their request was registered (the signal can overtake `open`). */
  early: Vote[];
}

// Module state is per workflow execution: Temporal gives each run its own module cache, so this
// is the run's approval bookkeeping, rebuilt identically on replay.
let state: ApprovalState | undefined;

function approvalState(): ApprovalState {
  if (state) return state;
  const created: ApprovalState = { sequence: 0, requests: new Map(), early: [] };
  setHandler(approvalVoteSignal, (raw) => {
    const parsed = voteSchema.safeParse(raw);
    if (!parsed.success) return log.warn('ignored a malformed approval vote', { error: parsed.error.message });
    const request = created.requests.get(parsed.data.requestId);
    if (request) count(request, parsed.data);
    else created.early.push(parsed.data);
  });
  state = created;
  return created;
}

/** Applies one vote; the first valid decision wins and later votes change nothing. */
function count(request: OpenRequest, vote: Vote): void {
  if (request.result || request.closed) return;
  const operator = vote.via === 'cli';
  if (!operator && !request.allowed.has(vote.approver)) return log.warn('ignored a vote from a non-approver', { approver: vote.approver });
  if (request.actionHash && vote.actionHash !== request.actionHash) return log.warn('ignored a vote for other action arguments', { approver: vote.approver });
  if (request.votes.some((v) => v.approver === vote.approver)) return;
  request.votes.push(vote);
  const approvals = request.votes.filter((v) => v.approve).length;
  // Any rejection decides; approval needs `quorum` distinct approvers; an operator decides alone.
  if (!vote.approve || operator || approvals >= request.quorum) {
    request.result = {
      requestId: vote.requestId,
      decision: vote.approve ? 'approved' : 'rejected',
      decidedBy: vote.approver,
      via: vote.via,
      ...(vote.comment ? { comment: vote.comment } : {}),
      at: vote.at,
      votes: [...request.votes],
    };
  }
}

/**
 * Ask people to approve and wait, durably, for their decision:
 *
 *   const { decision } = await requestApproval({ title: 'Pay $1,200 to Acme', approvers: { slackUsers: ['U123'] }, timeout: '24 hours' });
 *
 * Approvers get a Slack message (in the run's thread and as a DM) and/or an email with signed links
 * and a reply address; their decision arrives as a signal. Reminders go out before the deadline; on
 * timeout the request is rejected (`expired`) or escalated once.
 */
export async function requestApproval(options: ApprovalOptions): Promise<ApprovalResult> {
  const parsed = approvalOptionsSchema.safeParse(options);
  // A bad request is the workflow author's bug: fail the run instead of retrying the task forever.
  if (!parsed.success) throw ApplicationFailure.nonRetryable(`Invalid approval request: ${parsed.error.message}`, 'InvalidInput');
  const input = parsed.data;
  const approvals = approvalState();
  const info = workflowInfo();
  const requestId = `${info.workflowId}/approval-${++approvals.sequence}`;
  const slack = slackMemoSchema.safeParse(info.memo?.slack);
  const startedBy = typeof info.memo?.startedBy === 'string' ? info.memo.startedBy : undefined;
  let deadline = deadlineAfter(input.timeout);

  const opened = await approvalActivities.run(openApproval, {
    requestId,
    workflowId: info.workflowId,
    runId: info.runId,
    title: input.title,
    details: input.details,
    requestedBy: startedBy,
    action: input.action,
    step: input.step,
    approvers: input.approvers,
    quorum: input.quorum,
    allowComment: input.allowComment,
    channel: input.channel ?? (slack.success ? slack.data.channel : undefined),
    threadTs: input.channel ? undefined : slack.success ? slack.data.threadTs : undefined,
    deadline: deadline.toISOString(),
    remindersMs: input.reminders?.map(toMs),
  });
  const request: OpenRequest = {
    allowed: new Set(opened.approvers),
    actionHash: opened.actionHash,
    quorum: input.quorum,
    votes: [],
    closed: false,
    reminders: 0,
  };
  approvals.requests.set(requestId, request);
  for (const vote of approvals.early.filter((v) => v.requestId === requestId)) count(request, vote);
  approvals.early = approvals.early.filter((v) => v.requestId !== requestId);

  const expired = (decidedBy: string): ApprovalResult => ({
    requestId,
    decision: 'expired',
    decidedBy,
    via: 'timeout',
    at: new Date().toISOString(),
    votes: [...request.votes],
  });
  try {
    await approvalActivities.run(notifyApprovers, { requestId, kind: 'request', round: 0 });
    let decided = await waitWithReminders(requestId, request, deadline, opened.remindersMs);

    if (!decided && input.onTimeout !== 'reject') {
      deadline = deadlineAfter(input.onTimeout.timeout);
      const escalated = await approvalActivities.run(escalateApproval, {
        requestId,
        escalateTo: input.onTimeout.escalateTo,
        deadline: deadline.toISOString(),
      });
      for (const identity of escalated.approvers) request.allowed.add(identity);
      await approvalActivities.run(notifyApprovers, { requestId, kind: 'escalation', round: 0, only: escalated.added });
      decided = await waitWithReminders(requestId, request, deadline, opened.remindersMs);
    }
  } catch (error) {
    // A cancelled run closes its request, so no button or link stays live for a run that is gone.
    if (isCancellation(error) && !request.result) {
      request.closed = true;
      await CancellationScope.nonCancellable(() => approvalActivities.run(finalizeApproval, { requestId, result: expired('cancelled') }));
    }
    throw error;
  }

  request.closed = true;
  const result = request.result ?? expired('timeout');
  await approvalActivities.run(finalizeApproval, { requestId, result });
  return result;
}

/** Waits until decided or the deadline, reminding the silent approvers at each reminder time. */
async function waitWithReminders(requestId: string, request: OpenRequest, deadline: Date, remindersMs: readonly number[]): Promise<boolean> {
  const reminderTimes = [...remindersMs].sort((a, b) => b - a).map((ms) => deadline.getTime() - ms);
  for (const at of reminderTimes) {
    const wait = at - new Date().getTime();
    if (wait <= 0) continue;
    if (await condition(() => request.result !== undefined, wait)) return true;
    await approvalActivities.run(notifyApprovers, { requestId, kind: 'reminder', round: ++request.reminders });
  }
  const left = deadline.getTime() - new Date().getTime();
  if (left <= 0) return request.result !== undefined;
  return condition(() => request.result !== undefined, left);
}

function toMs(duration: string | number): number {
  return typeof duration === 'number' ? duration : msToNumber(duration as Parameters<typeof msToNumber>[0]);
}

function deadlineAfter(duration: string | number): Date {
  return new Date(new Date().getTime() + toMs(duration));
}

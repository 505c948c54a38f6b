import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber } from '@temporalio/common/lib/time';
import { approvalOptionsSchema, signedVoteSchema, slackMemoSchema } from '../models';
import type { ApprovalOptions, ApprovalResult, Vote, VoteReceipt, VoteRefusal } from '../models';
import { approvalRefusalsQuery, approvalVoteUpdate, legacyVoteSignal } from './signals';
import { runActivity } from '../../core/workflow/run-activity';
import { escalateApproval, finalizeApproval, notifyApprovers, openApproval } from '../specs';
import { verifyVoteSignature } from '../votes/workflow/verify';

export type { ApprovalOptions, ApprovalResult } from '../models';

interface OpenRequest {
  allowed: Set<string>;
  actionHash?: string;
  quorum: number;
  votes: Vote[];
  result?: ApprovalResult;
  closed: boolean;
  /** Reminders sent so far, across stages: each has its own idempotency round. */
  reminders: number;
  /** Public keys (id → hex) from the worker's settings, via `approvals.open`: only their votes count. */
  voteKeys: Readonly<Record<string, string>>;
  requestedBy?: string;
  allowSelfApproval: boolean;
  /** While escalation approvers are being added, their (signed) votes wait instead of being refused. */
  escalating: boolean;
}

interface ApprovalState {
  sequence: number;
  requests: Map<string, OpenRequest>;
  /** The request whose `open` is running: a vote for it is told to try again in a moment. */
  opening?: string;
  /** Update handlers waiting for an escalation (bounded, so waiting votes cannot pile up). */
  waiting: number;
  /** Signatures already verified (a cache: verification is pure, so replay reaches the same verdicts). */
  verified: Set<string>;
  refusals: VoteRefusal[];
  refusedTotal: number;
}

const maxWaiting = 8;
const maxRefusalsKept = 20;
const escalationWait = '10 seconds';

type Verdict =
  | { kind: 'ok'; request: OpenRequest; vote: Vote }
  | { kind: 'wait'; request: OpenRequest }
  | { kind: 'refused'; reason: string; message: string; vote?: Vote };

// Module state is per workflow execution: Temporal gives each run its own module cache, so this
// is the run's approval bookkeeping, rebuilt identically on replay.
let state: ApprovalState | undefined;

function approvalState(): ApprovalState {
  if (state) return state;
  const created: ApprovalState = {
    sequence: 0,
    requests: new Map(),
    waiting: 0,
    verified: new Set(),
    refusals: [],
    refusedTotal: 0,
  };
  setHandler(
    approvalVoteUpdate,
    async (raw) => {
      // The validator does not run on replay: judge again here (cheap: signatures are cached).
      let verdict = judge(created, raw, true);
      if (verdict.kind === 'wait') {
        const { request } = verdict;
        created.waiting++;
        try {
          await condition(() => !request.escalating, escalationWait);
        } finally {
          created.waiting--;
        }
        verdict = judge(created, raw, false);
      }
      if (verdict.kind === 'wait')
        verdict = refused(
          'escalation-pending',
          'This request is being escalated; please try again in a moment.',
        );
      if (verdict.kind === 'refused') throw refuse(created, verdict);
      return count(verdict.request, verdict.vote);
    },
    {
      // A refused vote never reaches history: forging and flooding leave no trace there.
      validator: (raw) => {
        const verdict = judge(created, raw, created.waiting < maxWaiting);
        if (verdict.kind === 'refused') throw refuse(created, verdict);
      },
    },
  );
  setHandler(legacyVoteSignal, (raw) => {
    const claimed = (raw ?? {}) as { requestId?: unknown; approver?: unknown; via?: unknown };
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const vote = {
      requestId: text(claimed.requestId),
      approver: text(claimed.approver),
      via: text(claimed.via),
    } as Vote;
    refuse(created, {
      kind: 'refused',
      reason: 'unsigned-signal',
      message: 'Votes must be signed Updates; the vote signal counts nothing.',
      vote,
    });
  });
  setHandler(approvalRefusalsQuery, () => ({ total: created.refusedTotal, recent: [...created.refusals] }));
  state = created;
  return created;
}

type Refused = Extract<Verdict, { kind: 'refused' }>;

const refused = (reason: string, message: string, vote?: Vote): Refused => ({
  kind: 'refused',
  reason,
  message,
  ...(vote ? { vote } : {}),
});

/**
 * Whether a signed vote counts, checked in order: well-formed, for this run, for a known request,
 * signed by a worker-configured key, not expired, and then the request's own rules.
 */
function judge(s: ApprovalState, raw: unknown, canWait: boolean): Verdict {
  const parsed = signedVoteSchema.safeParse(raw);
  if (!parsed.success) return refused('malformed', 'The vote is malformed.');
  const signed = parsed.data;
  const { vote } = signed;
  if (signed.runId !== workflowInfo().runId)
    return refused('wrong-run', 'The vote is for another run.', vote);
  const request = s.requests.get(vote.requestId);
  if (!request) {
    if (s.opening === vote.requestId)
      return refused('not-ready', 'This request is still being opened; please try again in a moment.', vote);
    return refused('unknown-request', 'This approval request does not exist in this run.', vote);
  }
  if (!s.verified.has(signed.signature)) {
    if (!verifyVoteSignature(signed, request.voteKeys))
      return refused('bad-signature', 'The vote is not signed by a known key.', vote);
    s.verified.add(signed.signature);
  }
  if (new Date().getTime() > Date.parse(signed.expiresAt))
    return refused('vote-expired', 'The vote arrived too late; nothing was counted. Please try again.', vote);
  if (request.result || request.closed)
    return refused('already-decided', 'This request is already decided.', vote);
  // The requester is refused first, whatever lists they are on, so the reason says why.
  if (
    !request.allowSelfApproval &&
    request.requestedBy !== undefined &&
    request.requestedBy === vote.approver
  ) {
    return refused('self-approval', 'You started this run; someone else must approve it.', vote);
  }
  // A CLI operator decides alone (the signing key is what makes them one).
  if (vote.via !== 'cli' && !request.allowed.has(vote.approver)) {
    if (request.escalating) {
      return canWait
        ? { kind: 'wait', request }
        : refused(
            'escalation-pending',
            'This request is being escalated; please try again in a moment.',
            vote,
          );
    }
    return refused('not-an-approver', 'You are not an approver for this request.', vote);
  }
  if (request.actionHash && vote.actionHash !== request.actionHash)
    return refused('action-mismatch', 'This decision was for different action arguments.', vote);
  if (request.votes.some((v) => v.approver === vote.approver))
    return refused('already-voted', 'You have already answered this request.', vote);
  return { kind: 'ok', request, vote };
}

/** Notes a refusal (bounded list, worker log) and returns the failure the caller receives. */
function refuse(s: ApprovalState, verdict: Refused): ApplicationFailure {
  const short = (text: string | undefined) => (text ? text.slice(0, 200) : undefined);
  const refusal: VoteRefusal = {
    at: new Date().toISOString(),
    reason: verdict.reason,
    ...(short(verdict.vote?.requestId) ? { requestId: short(verdict.vote?.requestId) } : {}),
    ...(short(verdict.vote?.approver) ? { approver: short(verdict.vote?.approver) } : {}),
    ...(short(verdict.vote?.via) ? { via: short(verdict.vote?.via) } : {}),
  };
  s.refusedTotal++;
  s.refusals.push(refusal);
  if (s.refusals.length > maxRefusalsKept) s.refusals.shift();
  log.warn('refused an approval vote', { ...refusal });
  return ApplicationFailure.nonRetryable(verdict.message, verdict.reason);
}

/** Applies one accepted vote; the first decision wins (later votes are refused by `judge`). */
function count(request: OpenRequest, vote: Vote): VoteReceipt {
  request.votes.push(vote);
  const approvals = request.votes.filter((v) => v.approve).length;
  // Any rejection decides; approval needs `quorum` distinct approvers; an operator decides alone.
  if (!vote.approve || vote.via === 'cli' || approvals >= request.quorum) {
    request.result = {
      requestId: vote.requestId,
      decision: vote.approve ? 'approved' : 'rejected',
      decidedBy: vote.approver,
      via: vote.via,
      ...(vote.comment ? { comment: vote.comment } : {}),
      at: vote.at,
      votes: [...request.votes],
    };
    return {
      outcome: 'decided',
      decision: request.result.decision as 'approved' | 'rejected',
      result: request.result,
    };
  }
  return { outcome: 'counted', approvals, quorum: request.quorum };
}

/**
 * Ask people to approve and wait, durably, for their decision:
 *
 *   const { decision } = await requestApproval({ title: 'Pay $1,200 to Acme', approvers: { slackUsers: ['U123'] }, timeout: '24 hours' });
 *
 * Approvers get a Slack message (in the run's thread and as a DM) and/or an email with signed links
 * and a reply address; their decision arrives as a signed Update (see approvals/ARCHITECTURE.md). Reminders go out before the deadline; on
 * timeout the request is rejected (`expired`) or escalated once.
 */
export async function requestApproval(options: ApprovalOptions): Promise<ApprovalResult> {
  const parsed = approvalOptionsSchema.safeParse(options);
  // A bad request is the workflow author's bug: fail the run instead of retrying the task forever.
  if (!parsed.success)
    throw ApplicationFailure.nonRetryable(
      `Invalid approval request: ${parsed.error.message}`,
      'InvalidInput',
    );
  const input = parsed.data;
  const approvals = approvalState();
  const info = workflowInfo();
  const requestId = `${info.workflowId}/approval-${++approvals.sequence}`;
  const slack = slackMemoSchema.safeParse(info.memo?.slack);
  const startedBy = typeof info.memo?.startedBy === 'string' ? info.memo.startedBy : undefined;
  let deadline = deadlineAfter(input.timeout);

  approvals.opening = requestId;
  const opened = await runActivity(openApproval, {
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
    voteKeys: opened.voteKeys,
    ...(startedBy ? { requestedBy: startedBy } : {}),
    allowSelfApproval: opened.allowSelfApproval,
    escalating: false,
  };
  approvals.requests.set(requestId, request);
  approvals.opening = undefined;

  const expired = (decidedBy: string): ApprovalResult => ({
    requestId,
    decision: 'expired',
    decidedBy,
    via: 'timeout',
    at: new Date().toISOString(),
    votes: [...request.votes],
  });
  try {
    await runActivity(notifyApprovers, { requestId, kind: 'request', round: 0 });
    let decided = await waitWithReminders(requestId, request, deadline, opened.remindersMs);

    if (!decided && input.onTimeout !== 'reject') {
      let escalatedTo: string[] = [];
      deadline = deadlineAfter(input.onTimeout.timeout);
      // The bot sees the new approvers as soon as Postgres has them; their votes wait for this.
      request.escalating = true;
      try {
        const escalated = await runActivity(escalateApproval, {
          requestId,
          escalateTo: input.onTimeout.escalateTo,
          deadline: deadline.toISOString(),
        });
        for (const identity of escalated.approvers) request.allowed.add(identity);
        escalatedTo = escalated.added;
      } finally {
        request.escalating = false;
      }
      await runActivity(notifyApprovers, {
        requestId,
        kind: 'escalation',
        round: 0,
        only: escalatedTo,
      });
      decided = await waitWithReminders(requestId, request, deadline, opened.remindersMs);
    }
  } catch (error) {
    // A cancelled run closes its request, so no button or link stays live for a run that is gone.
    if (isCancellation(error) && !request.result) {
      request.closed = true;
      await CancellationScope.nonCancellable(() =>
        runActivity(finalizeApproval, { requestId, result: expired('cancelled') }),
      );
    }
    throw error;
  }

  request.closed = true;
  const result = request.result ?? expired('timeout');
  await runActivity(finalizeApproval, { requestId, result });
  return result;
}

/** Waits until decided or the deadline, reminding the silent approvers at each reminder time. */
async function waitWithReminders(
  requestId: string,
  request: OpenRequest,
  deadline: Date,
  remindersMs: readonly number[],
): Promise<boolean> {
  const reminderTimes = [...remindersMs].sort((a, b) => b - a).map((ms) => deadline.getTime() - ms);
  for (const at of reminderTimes) {
    const wait = at - new Date().getTime();
    if (wait <= 0) continue;
    if (await condition(() => request.result !== undefined, wait)) return true;
    await runActivity(notifyApprovers, {
      requestId,
      kind: 'reminder',
      round: ++request.reminders,
    });
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

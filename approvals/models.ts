import { z } from 'zod';

/**
 * Schemas shared by the workflow-side API, the activities, the bot and the CLI. Workflow-safe
 * (zod only). Durations are Temporal durations: '24 hours', '90m', or milliseconds.
 */
const duration = z.union([z.string().min(1), z.number().positive()]);

export const approversSchema = z.object({
  slackUsers: z.array(z.string().min(1)).default([]).describe('Slack user ids, e.g. U123'),
  slackGroups: z.array(z.string().min(1)).default([]).describe('Slack user group ids, e.g. S123'),
  emails: z.array(z.email()).default([]).describe('email addresses'),
});
export type Approvers = z.input<typeof approversSchema>;

export const approvalOptionsSchema = z.object({
  title: z.string().min(1).max(150),
  /** Slack mrkdwn; shown as plain text in email. */
  details: z.string().max(2800).default(''),
  /** The step (or agent action) being approved: its approvers come from the deployment policy (`approvers.<step>`). */
  step: z.string().min(1).optional(),
  /** Honoured only where the policy says `approversFromInput: true`; otherwise the policy decides alone. */
  approvers: approversSchema.optional(),
  /** A channel for the Slack copy when the run has no thread of its own. */
  channel: z.string().optional(),
  /** Distinct approvers needed to approve; any one rejection rejects. */
  quorum: z.number().int().positive().default(1),
  timeout: duration.default('24 hours'),
  onTimeout: z
    .union([
      z.literal('reject'),
      z.object({ escalateTo: approversSchema, timeout: duration.default('24 hours') }),
    ])
    .default('reject'),
  allowComment: z.boolean().default(false),
  /** The exact side effect being approved; a decision made for other arguments is void. */
  action: z.object({ name: z.string().min(1), args: z.record(z.string(), z.unknown()) }).optional(),
  /** Durations before each deadline to remind approvers who have not answered (default: the APPROVAL_REMINDERS setting). */
  reminders: z.array(duration).optional(),
});
export type ApprovalOptions = z.input<typeof approvalOptionsSchema>;

export const decisionVia = z.enum(['slack', 'email-link', 'email-reply', 'cli']);
export type DecisionVia = z.output<typeof decisionVia>;

/** The longest comment a vote carries; longer ones are cut with a visible marker (`truncateComment`). */
export const commentLimit = 3000;
const truncatedMarker = '… (truncated)';

/** Cuts a comment to `commentLimit`, ending it with "… (truncated)" so readers see it was cut. */
export function truncateComment(comment: string): string {
  return comment.length <= commentLimit
    ? comment
    : `${comment.slice(0, commentLimit - truncatedMarker.length)}${truncatedMarker}`;
}

/** One approver's decision as the workflow tallies it (inside a `SignedVote`). */
export const voteSchema = z.object({
  requestId: z.string().min(1),
  /** `slack:U123`, `email:a@example.com` or `cli:operator`. */
  approver: z.string().min(1).max(320),
  approve: z.boolean(),
  via: decisionVia,
  comment: z.string().max(commentLimit).optional(),
  actionHash: z.string().max(100).optional(),
  at: z.iso.datetime(),
});
export type Vote = z.output<typeof voteSchema>;

/**
 * What the bot and the CLI send (a Temporal Update): the vote, bound to the run and a validity
 * window, signed with Ed25519 by a key the workers know (see approvals/votes/).
 */
export const signedVoteSchema = z.object({
  vote: voteSchema,
  runId: z.string().min(1).max(100),
  /** The workflow refuses the vote after this instant (the decider has given up waiting by then). */
  expiresAt: z.iso.datetime(),
  keyId: z.string().regex(/^[a-z0-9]{1,8}$/),
  /** Ed25519 over `voteMessage(...)`, hex. */
  signature: z.string().regex(/^[0-9a-f]{128}$/),
});
export type SignedVote = z.output<typeof signedVoteSchema>;

/** The workflow's answer to an accepted vote. */
export type VoteReceipt =
  | {
      readonly outcome: 'decided';
      readonly decision: 'approved' | 'rejected';
      /** The request's result, so the clicked card can show it at once (runs from before: absent). */
      readonly result?: ApprovalResult;
    }
  | { readonly outcome: 'counted'; readonly approvals: number; readonly quorum: number };

/** A vote the workflow refused: kept (a bounded list) for the refusals query and the worker log. */
export interface VoteRefusal {
  readonly at: string;
  readonly reason: string;
  readonly requestId?: string;
  readonly approver?: string;
  readonly via?: string;
}

export const approvalResultSchema = z.object({
  requestId: z.string(),
  decision: z.enum(['approved', 'rejected', 'expired']),
  /** The identity whose vote decided, or `timeout`. */
  decidedBy: z.string(),
  via: z.enum([...decisionVia.options, 'timeout']),
  comment: z.string().optional(),
  at: z.string(),
  /** Every counted vote, in order (several with a quorum). */
  votes: z.array(voteSchema),
});
export type ApprovalResult = z.output<typeof approvalResultSchema>;

/** Where the run talks in Slack: the starter puts it in the run's memo. */
export const slackMemoSchema = z.object({ channel: z.string().min(1), threadTs: z.string().optional() });

// ---- activity inputs and outputs ---------------------------------------------------------------

export const openInput = z.object({
  requestId: z.string(),
  workflowId: z.string(),
  runId: z.string(),
  title: z.string(),
  details: z.string(),
  requestedBy: z.string().optional(),
  action: z.object({ name: z.string(), args: z.record(z.string(), z.unknown()) }).optional(),
  /** The policy step (`approvers.<step>`); absent: the action's name, else `*`. */
  step: z.string().optional(),
  /** The workflow's own suggestion; counts only with the policy's `approversFromInput`. */
  approvers: approversSchema.default({ slackUsers: [], slackGroups: [], emails: [] }),
  quorum: z.number().int().positive(),
  allowComment: z.boolean(),
  channel: z.string().optional(),
  threadTs: z.string().optional(),
  deadline: z.string(),
  /** Milliseconds before the deadline; absent → the APPROVAL_REMINDERS setting. */
  remindersMs: z.array(z.number().positive()).optional(),
});
export const openOutput = z.object({
  /** Identities allowed to decide, groups resolved to their members. */
  approvers: z.array(z.string()),
  actionHash: z.string().optional(),
  remindersMs: z.array(z.number().positive()),
  /**
   * Ed25519 public keys (key id → hex) whose signed votes count. They come from the worker's
   * settings, never from the run's input, so whoever starts a run cannot pick the key.
   */
  voteKeys: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).default({}),
  /** The policy names this step in `selfApproval`: the requester may vote (recorded in the audit). */
  allowSelfApproval: z.boolean().default(false),
});

export const notifyInput = z.object({
  requestId: z.string(),
  kind: z.enum(['request', 'reminder', 'escalation']),
  /** Distinguishes repeated notifications of one kind (reminder 1, 2…) for idempotency. */
  round: z.number().int().nonnegative().default(0),
  /** Only these identities (default: everyone allowed who has not voted). */
  only: z.array(z.string()).optional(),
});
export const notifyOutput = z.object({ slack: z.number().int(), emails: z.number().int() });

export const escalateInput = z.object({
  requestId: z.string(),
  escalateTo: approversSchema,
  deadline: z.string(),
});
export const escalateOutput = z.object({ approvers: z.array(z.string()), added: z.array(z.string()) });

export const finalizeInput = z.object({ requestId: z.string(), result: approvalResultSchema });
export const finalizeOutput = z.object({ updatedMessages: z.number().int() });

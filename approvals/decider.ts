import type pg from 'pg';
import type { Logger } from '../core/logger';
import { mentionOf } from './identity';
import { truncateComment, voteSchema } from './models';
import type { ApprovalResult, DecisionVia } from './models';
import type { ApprovalRequestRecord, ApprovalStore } from './store';
import type { VoteSender } from './vote-sender';
import type { VoteSigner } from './votes/signer';

/** One person's attempt to decide, from any channel, after the channel proved who they are. */
export interface DecisionAttempt {
  readonly requestId: string;
  /** `slack:U…`, `email:…` or `cli:…`. */
  readonly approver: string;
  readonly approve: boolean;
  readonly via: DecisionVia;
  readonly comment?: string;
  /** The action hash the person saw (button value, token); must match the request's. */
  readonly actionHash?: string;
  /** An email token to spend in the same transaction: single use even under races. */
  readonly token?: { readonly nonce: string; readonly usedBy: string };
  /** Extra audit facts (message id, client address…). */
  readonly detail?: Record<string, unknown>;
}

export type RefusalReason =
  | 'unknown-request'
  | 'not-an-approver'
  | 'self-approval'
  | 'already-decided'
  | 'already-voted'
  | 'expired'
  | 'action-mismatch'
  | 'invalid-vote'
  | 'token-used'
  | 'token-invalid'
  | 'token-expired'
  | 'token-mismatch'
  | 'sender-mismatch'
  | 'unauthenticated'
  | 'no-decision'
  | 'unavailable'
  /** The workflow refused the vote; `detail.workflowReason` says why. */
  | 'workflow-refused';

export type DecisionOutcome =
  | {
      readonly kind: 'decided';
      readonly decision: 'approved' | 'rejected';
      readonly request: ApprovalRequestRecord;
      /** What every copy of the request will show (finalize): the clicked one can show it now. */
      readonly result?: ApprovalResult;
    }
  | {
      readonly kind: 'counted';
      readonly approvals: number;
      readonly quorum: number;
      readonly request: ApprovalRequestRecord;
    }
  | {
      readonly kind: 'refused';
      readonly reason: RefusalReason;
      readonly message: string;
      readonly request?: ApprovalRequestRecord;
    };

export interface DeciderDependencies {
  readonly store: ApprovalStore;
  /** Signs every vote; the workflow verifies it with the public key its worker was configured with. */
  readonly signer: VoteSigner;
  readonly send: VoteSender;
  readonly logger?: Logger;
  readonly now?: () => Date;
  /**
   * How long a signed vote stays valid for the workflow (default 20 s). The decider waits for the
   * workflow's answer a little longer, so a vote it gave up on can no longer be counted.
   */
  readonly voteTtlMs?: number;
}

/** The workflow said no: thrown inside the transaction so that nothing of the vote is kept. */
class WorkflowRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/** Temporal did not answer in time (or at all): nothing is kept, the person may retry. */
class NoAnswer extends Error {}

const answerMarginMs = 5_000;
const selfApproval = 'You started this run; someone else must approve it.';

/**
 * The one door every decision goes through — Slack, email link, email reply and CLI. Postgres
 * settles races: the request row is locked, the vote inserted (one per approver) and the outcome
 * set in one transaction, which commits only once the workflow has accepted the signed vote (a
 * Temporal Update); a vote the workflow refuses rolls everything back (an email token stays
 * usable) and is recorded as refused with the workflow's reason. Refused attempts are recorded too.
 */
export class Decider {
  readonly #store: ApprovalStore;
  readonly #signer: VoteSigner;
  readonly #send: VoteSender;
  readonly #logger?: Logger;
  readonly #now: () => Date;
  readonly #voteTtlMs: number;

  constructor(deps: DeciderDependencies) {
    this.#store = deps.store;
    this.#signer = deps.signer;
    this.#send = deps.send;
    this.#logger = deps.logger;
    this.#now = deps.now ?? (() => new Date());
    this.#voteTtlMs = deps.voteTtlMs ?? 20_000;
  }

  get store(): ApprovalStore {
    return this.#store;
  }

  /**
   * The requester of a run never decides its own approval. The one exception is a step the policy
   * names in `selfApproval`: only there do the resolved approvers include the requester (the
   * workflow checks the same flag again, so this is the early, friendly answer, not the guard).
   */
  isRequester(request: ApprovalRequestRecord, approver: string): boolean {
    return (
      request.requestedBy !== undefined &&
      request.requestedBy === approver &&
      !request.approvers.includes(approver)
    );
  }

  /**
   * `onAccepted` runs as soon as the run has taken the vote, alongside the commit (the run is the
   * truth: finalize writes the same outcome if the commit were lost); its failure is only logged.
   */
  async decide(
    input: DecisionAttempt,
    options: { readonly onAccepted?: (outcome: DecisionOutcome) => Promise<void> } = {},
  ): Promise<DecisionOutcome> {
    // Long comments are cut visibly, never refused: the workflow's schema takes `commentLimit`.
    const attempt: DecisionAttempt = {
      ...input,
      ...(input.comment ? { comment: truncateComment(input.comment) } : {}),
    };
    let request: ApprovalRequestRecord | undefined;
    let shown: Promise<void> | undefined;
    try {
      const decided = await this.#store.transaction(async (client) => {
        request = await this.#store.get(attempt.requestId, client, true);
        const refuse = (reason: RefusalReason, message: string) =>
          this.#refuse(client, attempt, reason, message, request);
        if (!request) return refuse('unknown-request', 'This approval request does not exist.');
        const operator = attempt.via === 'cli';
        // The requester first, so they hear why (they are never on the list but for `selfApproval`).
        if (this.isRequester(request, attempt.approver)) return refuse('self-approval', selfApproval);
        if (!operator && !request.approvers.includes(attempt.approver))
          return refuse('not-an-approver', 'You are not an approver for this request.');
        if (request.status !== 'pending') {
          return refuse(
            'already-decided',
            `Already ${request.status}${request.decidedBy && request.status !== 'expired' ? ` by ${mentionOf(request.decidedBy)}` : ''}.`,
          );
        }
        if (this.#now() > request.deadline) return refuse('expired', 'This approval request has expired.');
        const hash = operator ? request.actionHash : attempt.actionHash;
        if (request.actionHash && hash !== request.actionHash)
          return refuse('action-mismatch', 'This decision was for different action arguments.');

        // Spent last, so a refusal leaves the token as it was (single use even under races: row lock).
        if (attempt.token) {
          const { rowCount } = await client.query(
            'UPDATE approval_tokens SET used_at = now(), used_by = $2 WHERE nonce = $1 AND used_at IS NULL',
            [attempt.token.nonce, attempt.token.usedBy],
          );
          if (rowCount !== 1)
            return refuse('token-used', 'This link or reply address has already been used.');
        }
        const at = this.#now();
        // Checked against the workflow's own schema before anything is written.
        const checked = voteSchema.safeParse({
          requestId: request.id,
          approver: attempt.approver,
          approve: attempt.approve,
          via: attempt.via,
          ...(attempt.comment ? { comment: attempt.comment } : {}),
          ...(request.actionHash ? { actionHash: request.actionHash } : {}),
          at: at.toISOString(),
        });
        if (!checked.success)
          return refuse(
            'invalid-vote',
            `This vote cannot be recorded: ${checked.error.issues[0]?.message ?? 'invalid'}.`,
          );
        const vote = checked.data;
        const inserted = await this.#store.recordEvent(
          {
            requestId: request.id,
            workflowId: request.workflowId,
            kind: 'vote',
            actor: attempt.approver,
            via: attempt.via,
            detail: {
              approve: attempt.approve,
              ...(attempt.comment ? { comment: attempt.comment } : {}),
              ...attempt.detail,
            },
          },
          client,
        );
        if (!inserted) return refuse('already-voted', 'You have already answered this request.');

        // Inside the transaction: it commits only on the workflow's acceptance.
        const expiresAt = new Date(at.getTime() + this.#voteTtlMs);
        const waitUntil = new Date(Date.now() + Math.min(this.#voteTtlMs, 20_000) + answerMarginMs);
        const signed = this.#signer.sign(request.runId, vote, expiresAt);
        const answer = await this.#send(
          { workflowId: request.workflowId, runId: request.runId },
          signed,
          waitUntil,
        ).catch((error: unknown) => {
          throw new NoAnswer((error as Error).message);
        });
        if (answer.kind === 'refused') throw new WorkflowRefusal(answer.reason, answer.message);
        const { receipt } = answer;
        const outcome: DecisionOutcome =
          receipt.outcome === 'decided'
            ? {
                kind: 'decided',
                decision: receipt.decision,
                request,
                ...(receipt.result ? { result: receipt.result } : {}),
              }
            : { kind: 'counted', approvals: receipt.approvals, quorum: receipt.quorum, request };
        shown = options
          .onAccepted?.(outcome)
          .catch((error: unknown) =>
            this.#logger?.warn({ err: error, requestId: request?.id }, 'showing an accepted vote failed'),
          );
        if (receipt.outcome === 'decided') {
          await this.#store.setOutcome(
            request.id,
            {
              status: receipt.decision,
              decidedBy: attempt.approver,
              via: attempt.via,
              at,
              comment: attempt.comment,
            },
            client,
          );
        }
        this.#logger?.info(
          {
            requestId: request.id,
            approver: attempt.approver,
            via: attempt.via,
            approve: attempt.approve,
            outcome: receipt.outcome,
          },
          'approval vote',
        );
        return outcome;
      });
      await shown;
      return decided;
    } catch (error) {
      if (error instanceof WorkflowRefusal) {
        return this.#refuse(this.#store.db, attempt, 'workflow-refused', error.message, request, {
          workflowReason: error.reason,
        });
      }
      if (error instanceof NoAnswer) {
        return this.#refuse(
          this.#store.db,
          attempt,
          'unavailable',
          'The workflow did not answer in time; nothing was recorded. Please try again in a moment.',
          request,
          { error: error.message },
        );
      }
      throw error;
    }
  }

  /** Records an attempt refused before it reached `decide` (bad token, unauthenticated mail…). */
  async refuseAttempt(
    attempt: Omit<DecisionAttempt, 'approve'> & { approve?: boolean },
    reason: RefusalReason,
    message: string,
  ): Promise<DecisionOutcome> {
    const request = await this.#store.get(attempt.requestId);
    return this.#refuse(
      this.#store.db,
      { ...attempt, approve: attempt.approve ?? false },
      reason,
      message,
      request,
    );
  }

  async #refuse(
    client: Pick<pg.PoolClient, 'query'>,
    attempt: DecisionAttempt,
    reason: RefusalReason,
    message: string,
    request: ApprovalRequestRecord | undefined,
    extra: Record<string, unknown> = {},
  ): Promise<DecisionOutcome> {
    await this.#store.recordEvent(
      {
        requestId: attempt.requestId,
        workflowId: request?.workflowId,
        kind: 'refused',
        actor: attempt.approver,
        via: attempt.via,
        detail: {
          reason,
          ...extra,
          approve: attempt.approve,
          ...(attempt.comment ? { comment: attempt.comment } : {}),
          ...attempt.detail,
        },
      },
      client,
    );
    this.#logger?.warn(
      { requestId: attempt.requestId, approver: attempt.approver, via: attempt.via, reason, ...extra },
      'approval attempt refused',
    );
    return { kind: 'refused', reason, message, ...(request ? { request } : {}) };
  }
}

import type pg from 'pg';
import type { Logger } from '../core/logger';
import { mentionOf } from './identity';
import type { DecisionVia, Vote } from './models';
import type { ApprovalRequestRecord, ApprovalStore } from './store';

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
  | 'already-decided'
  | 'already-voted'
  | 'expired'
  | 'action-mismatch'
  | 'token-used'
  | 'token-invalid'
  | 'token-expired'
  | 'token-mismatch'
  | 'sender-mismatch'
  | 'unauthenticated'
  | 'no-decision';

export type DecisionOutcome =
  | { readonly kind: 'decided'; readonly decision: 'approved' | 'rejected'; readonly request: ApprovalRequestRecord }
  | { readonly kind: 'counted'; readonly approvals: number; readonly quorum: number; readonly request: ApprovalRequestRecord }
  | { readonly kind: 'refused'; readonly reason: RefusalReason; readonly message: string; readonly request?: ApprovalRequestRecord };

/** Delivers a vote to the waiting workflow (a Temporal signal in production). */
export type VoteSender = (workflowId: string, vote: Vote) => Promise<void>;

export interface DeciderDependencies {
  readonly store: ApprovalStore;
  readonly send: VoteSender;
  readonly logger?: Logger;
  readonly now?: () => Date;
}

/**
 * The one door every decision goes through — Slack, email link, email reply and CLI. Postgres
 * settles races: the request row is locked, the vote inserted (one per approver) and the outcome
 * set in one transaction, and the signal is sent before it commits, so a decision the workflow
 * never heard of is never recorded. Refused attempts are recorded too, with the reason.
 */
export class Decider {
  readonly #store: ApprovalStore;
  readonly #send: VoteSender;
  readonly #logger?: Logger;
  readonly #now: () => Date;

  constructor(deps: DeciderDependencies) {
    this.#store = deps.store;
    this.#send = deps.send;
    this.#logger = deps.logger;
    this.#now = deps.now ?? (() => new Date());
  }

  get store(): ApprovalStore {
    return this.#store;
  }

  async decide(attempt: DecisionAttempt): Promise<DecisionOutcome> {
    return this.#store.transaction(async (client) => {
      const request = await this.#store.get(attempt.requestId, client, true);
      const refuse = (reason: RefusalReason, message: string) => this.#refuse(client, attempt, reason, message, request);
      if (!request) return refuse('unknown-request', 'This approval request does not exist.');
      if (attempt.token) {
        const { rowCount } = await client.query(
          'UPDATE approval_tokens SET used_at = now(), used_by = $2 WHERE nonce = $1 AND used_at IS NULL',
          [attempt.token.nonce, attempt.token.usedBy],
        );
        if (rowCount !== 1) return refuse('token-used', 'This link or reply address has already been used.');
      }
      const operator = attempt.via === 'cli';
      if (!operator && !request.approvers.includes(attempt.approver)) return refuse('not-an-approver', 'You are not an approver for this request.');
      if (request.status !== 'pending') {
        return refuse('already-decided', `Already ${request.status}${request.decidedBy && request.status !== 'expired' ? ` by ${mentionOf(request.decidedBy)}` : ''}.`);
      }
      if (this.#now() > request.deadline) return refuse('expired', 'This approval request has expired.');
      const hash = operator ? request.actionHash : attempt.actionHash;
      if (request.actionHash && hash !== request.actionHash) return refuse('action-mismatch', 'This decision was for different action arguments.');

      const at = this.#now();
      const vote: Vote = {
        requestId: request.id,
        approver: attempt.approver,
        approve: attempt.approve,
        via: attempt.via,
        ...(attempt.comment ? { comment: attempt.comment } : {}),
        ...(request.actionHash ? { actionHash: request.actionHash } : {}),
        at: at.toISOString(),
      };
      const inserted = await this.#store.recordEvent(
        { requestId: request.id, workflowId: request.workflowId, kind: 'vote', actor: attempt.approver, via: attempt.via, detail: { approve: attempt.approve, ...(attempt.comment ? { comment: attempt.comment } : {}), ...attempt.detail } },
        client,
      );
      if (!inserted) return refuse('already-voted', 'You have already answered this request.');
      const { rows } = await client.query<{ approvals: string }>(
        `SELECT count(*) AS approvals FROM approval_events WHERE request_id = $1 AND kind = 'vote' AND (detail->>'approve')::boolean`,
        [request.id],
      );
      const approvals = Number(rows[0]?.approvals ?? 0);
      const final = !attempt.approve || operator || approvals >= request.quorum;
      if (final) {
        await this.#store.setOutcome(request.id, { status: attempt.approve ? 'approved' : 'rejected', decidedBy: attempt.approver, via: attempt.via, at, comment: attempt.comment }, client);
      }
      // Inside the transaction: if Temporal cannot be reached, nothing is recorded and the person can retry.
      await this.#send(request.workflowId, vote);
      this.#logger?.info({ requestId: request.id, approver: attempt.approver, via: attempt.via, approve: attempt.approve, final }, 'approval vote');
      return final
        ? { kind: 'decided', decision: attempt.approve ? 'approved' : 'rejected', request }
        : { kind: 'counted', approvals, quorum: request.quorum, request };
    });
  }

  /** Records an attempt refused before it reached `decide` (bad token, unauthenticated mail…). */
  async refuseAttempt(attempt: Omit<DecisionAttempt, 'approve'> & { approve?: boolean }, reason: RefusalReason, message: string): Promise<DecisionOutcome> {
    const request = await this.#store.get(attempt.requestId);
    return this.#refuse(this.#store.db, { ...attempt, approve: attempt.approve ?? false }, reason, message, request);
  }

  async #refuse(
    client: Pick<pg.PoolClient, 'query'>,
    attempt: DecisionAttempt,
    reason: RefusalReason,
    message: string,
    request: ApprovalRequestRecord | undefined,
  ): Promise<DecisionOutcome> {
    await this.#store.recordEvent(
      {
        requestId: attempt.requestId,
        workflowId: request?.workflowId,
        kind: 'refused',
        actor: attempt.approver,
        via: attempt.via,
        detail: { reason, approve: attempt.approve, ...(attempt.comment ? { comment: attempt.comment } : {}), ...attempt.detail },
      },
      client,
    );
    this.#logger?.warn({ requestId: attempt.requestId, approver: attempt.approver, via: attempt.via, reason }, 'approval attempt refused');
    return { kind: 'refused', reason, message, ...(request ? { request } : {}) };
  }
}

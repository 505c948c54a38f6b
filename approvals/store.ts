import type pg from 'pg';
import type { Database } from '../core/db/pool';

/** A row of approval_requests as the rest of approvals uses it. */
export interface ApprovalRequestRecord {
  readonly id: string;
  readonly workflowId: string;
  readonly runId: string;
  readonly title: string;
  readonly details: string;
  readonly requestedBy?: string;
  readonly actionName?: string;
  readonly actionArgs?: Record<string, unknown>;
  readonly actionHash?: string;
  readonly approvers: readonly string[];
  readonly quorum: number;
  readonly allowComment: boolean;
  readonly channel?: string;
  readonly threadTs?: string;
  readonly stage: string;
  readonly deadline: Date;
  readonly status: 'pending' | 'approved' | 'rejected' | 'expired';
  readonly decidedBy?: string;
  readonly decidedVia?: string;
  readonly decidedAt?: Date;
  readonly comment?: string;
  readonly createdAt: Date;
}

export interface ApprovalEventRecord {
  readonly id: string;
  readonly requestId: string;
  readonly workflowId?: string;
  readonly kind: string;
  readonly actor?: string;
  readonly via?: string;
  readonly detail: Record<string, unknown>;
  readonly at: Date;
}

export type EventKind =
  'requested' | 'notified' | 'reminded' | 'escalated' | 'vote' | 'decided' | 'expired' | 'refused';

export interface NewEvent {
  readonly requestId: string;
  readonly workflowId?: string;
  readonly kind: EventKind;
  readonly actor?: string;
  readonly via?: string;
  readonly detail?: Record<string, unknown>;
  readonly idempotencyKey?: string;
}

type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

interface RequestRow {
  id: string;
  workflow_id: string;
  run_id: string;
  title: string;
  details: string;
  requested_by: string | null;
  action_name: string | null;
  action_args: Record<string, unknown> | null;
  action_hash: string | null;
  approvers: string[];
  quorum: number;
  allow_comment: boolean;
  channel: string | null;
  thread_ts: string | null;
  stage: string;
  deadline: Date;
  status: ApprovalRequestRecord['status'];
  decided_by: string | null;
  decided_via: string | null;
  decided_at: Date | null;
  comment: string | null;
  created_at: Date;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function toRecord(row: RequestRow): ApprovalRequestRecord {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    runId: row.run_id,
    title: row.title,
    details: row.details,
    requestedBy: orUndefined(row.requested_by),
    actionName: orUndefined(row.action_name),
    actionArgs: orUndefined(row.action_args),
    actionHash: orUndefined(row.action_hash),
    approvers: row.approvers,
    quorum: row.quorum,
    allowComment: row.allow_comment,
    channel: orUndefined(row.channel),
    threadTs: orUndefined(row.thread_ts),
    stage: row.stage,
    deadline: row.deadline,
    status: row.status,
    decidedBy: orUndefined(row.decided_by),
    decidedVia: orUndefined(row.decided_via),
    decidedAt: orUndefined(row.decided_at),
    comment: orUndefined(row.comment),
    createdAt: row.created_at,
  };
}

/** Postgres access for approvals: requests, the event log (audit) and their queries. */
export class ApprovalStore {
  constructor(readonly db: Database) {}

  /** Idempotent: a retried `open` finds the row it wrote. */
  /** `policy`: where the approvers came from (workflow, step, exceptions), kept in the `requested` event for the audit. */
  async createRequest(
    request: Omit<
      ApprovalRequestRecord,
      'status' | 'createdAt' | 'stage' | 'decidedBy' | 'decidedVia' | 'decidedAt' | 'comment'
    >,
    policy?: Record<string, unknown>,
  ): Promise<ApprovalRequestRecord> {
    await this.db.query(
      `INSERT INTO approval_requests (id, workflow_id, run_id, title, details, requested_by, action_name, action_args, action_hash,
         approvers, quorum, allow_comment, channel, thread_ts, deadline)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) ON CONFLICT (id) DO NOTHING`,
      [
        request.id,
        request.workflowId,
        request.runId,
        request.title,
        request.details,
        request.requestedBy ?? null,
        request.actionName ?? null,
        request.actionArgs ? JSON.stringify(request.actionArgs) : null,
        request.actionHash ?? null,
        request.approvers,
        request.quorum,
        request.allowComment,
        request.channel ?? null,
        request.threadTs ?? null,
        request.deadline,
      ],
    );
    await this.recordEvent({
      requestId: request.id,
      workflowId: request.workflowId,
      kind: 'requested',
      actor: request.requestedBy,
      detail: {
        approvers: request.approvers,
        quorum: request.quorum,
        deadline: request.deadline.toISOString(),
        ...(policy ? { policy } : {}),
      },
      idempotencyKey: `${request.id}/requested`,
    });
    return (await this.get(request.id))!;
  }

  async get(
    id: string,
    client: Queryable = this.db,
    forUpdate = false,
  ): Promise<ApprovalRequestRecord | undefined> {
    const { rows } = await client.query<RequestRow>(
      `SELECT * FROM approval_requests WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async list(
    filter: { pending?: boolean; workflowId?: string; limit?: number } = {},
  ): Promise<ApprovalRequestRecord[]> {
    const { rows } = await this.db.query<RequestRow>(
      `SELECT * FROM approval_requests WHERE ($1::boolean IS NOT TRUE OR status = 'pending') AND ($2::text IS NULL OR workflow_id = $2)
       ORDER BY created_at DESC LIMIT $3`,
      [filter.pending ?? false, filter.workflowId ?? null, filter.limit ?? 100],
    );
    return rows.map(toRecord);
  }

  async escalate(id: string, approvers: readonly string[], deadline: Date): Promise<void> {
    await this.db.query(
      `UPDATE approval_requests SET approvers = $2, deadline = $3, stage = 'escalation' WHERE id = $1`,
      [id, approvers, deadline],
    );
  }

  /** Sets the outcome; `onlyIfPending` lets the bot's decision lose to one already recorded. */
  async setOutcome(
    id: string,
    outcome: {
      status: 'approved' | 'rejected' | 'expired';
      decidedBy: string;
      via: string;
      at: Date;
      comment?: string;
    },
    client: Queryable = this.db,
  ): Promise<void> {
    await client.query(
      `UPDATE approval_requests SET status = $2, decided_by = $3, decided_via = $4, decided_at = $5, comment = $6 WHERE id = $1`,
      [id, outcome.status, outcome.decidedBy, outcome.via, outcome.at, outcome.comment ?? null],
    );
  }

  /** Appends to the audit log; with an idempotency key a retried activity records once. Returns false for a repeat. */
  async recordEvent(event: NewEvent, client: Queryable = this.db): Promise<boolean> {
    const { rowCount } = await client.query(
      `INSERT INTO approval_events (request_id, workflow_id, kind, actor, via, detail, idempotency_key)
       VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
      [
        event.requestId,
        event.workflowId ?? null,
        event.kind,
        event.actor ?? null,
        event.via ?? null,
        JSON.stringify(event.detail ?? {}),
        event.idempotencyKey ?? null,
      ],
    );
    return rowCount === 1;
  }

  async hasEvent(idempotencyKey: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM approval_events WHERE idempotency_key = $1', [
      idempotencyKey,
    ]);
    return rows.length > 0;
  }

  async events(filter: {
    requestId?: string;
    workflowId?: string;
    kind?: EventKind;
  }): Promise<ApprovalEventRecord[]> {
    const { rows } = await this.db.query<{
      id: string;
      request_id: string;
      workflow_id: string | null;
      kind: string;
      actor: string | null;
      via: string | null;
      detail: Record<string, unknown>;
      at: Date;
    }>(
      `SELECT id, request_id, workflow_id, kind, actor, via, detail, at FROM approval_events
       WHERE ($1::text IS NULL OR request_id = $1) AND ($2::text IS NULL OR workflow_id = $2) AND ($3::text IS NULL OR kind = $3)
       ORDER BY id`,
      [filter.requestId ?? null, filter.workflowId ?? null, filter.kind ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      requestId: r.request_id,
      workflowId: orUndefined(r.workflow_id),
      kind: r.kind,
      actor: orUndefined(r.actor),
      via: orUndefined(r.via),
      detail: r.detail,
      at: r.at,
    }));
  }

  /** Runs `work` in one transaction. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.db.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

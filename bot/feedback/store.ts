import type { Database } from '../../core/db/pool';
import type { Feedback } from '../../core/workflow/feedback-contract';

/** A message a run posted (root or result), as tools/slack records it in `slack_messages`. */
export interface RunMessage {
  readonly workflowId: string;
  readonly runId: string;
  readonly workflow: string;
  readonly kind: 'root' | 'result';
}

export interface FeedbackEntry {
  readonly user: string;
  readonly reaction: string;
  readonly sentiment: Feedback['sentiment'];
  readonly at: Date;
}

/**
 * Feedback in Postgres. `record` and `retract` say whether anything changed, so a duplicated event
 * never sends a second signal: only the first delivery flips the row.
 */
export class FeedbackStore {
  constructor(private readonly db: Database) {}

  async message(channel: string, ts: string): Promise<RunMessage | undefined> {
    const { rows } = await this.db.query<{ workflow_id: string; run_id: string; workflow: string; kind: RunMessage['kind'] }>(
      'SELECT workflow_id, run_id, workflow, kind FROM slack_messages WHERE channel = $1 AND ts = $2',
      [channel, ts],
    );
    const row = rows[0];
    return row && { workflowId: row.workflow_id, runId: row.run_id, workflow: row.workflow, kind: row.kind };
  }

  /** Stores the feedback (or revives a retracted one); false when it was already there. */
  async record(message: RunMessage, where: { channel: string; ts: string }, feedback: Omit<Feedback, 'retracted' | 'messageTs'>): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO feedback (workflow_id, run_id, workflow, slack_user, reaction, sentiment, channel, message_ts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (channel, message_ts, slack_user, reaction)
       DO UPDATE SET retracted_at = NULL, created_at = now() WHERE feedback.retracted_at IS NOT NULL`,
      [message.workflowId, message.runId, message.workflow, feedback.user, feedback.reaction, feedback.sentiment, where.channel, where.ts],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Marks the feedback retracted; false when there was none standing. */
  async retract(where: { channel: string; ts: string }, user: string, reaction: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE feedback SET retracted_at = now()
       WHERE channel = $1 AND message_ts = $2 AND slack_user = $3 AND reaction = $4 AND retracted_at IS NULL`,
      [where.channel, where.ts, user, reaction],
    );
    return (rowCount ?? 0) > 0;
  }

  /** The feedback standing on a run, oldest first. */
  async forRun(workflowId: string): Promise<FeedbackEntry[]> {
    const { rows } = await this.db.query<{ slack_user: string; reaction: string; sentiment: Feedback['sentiment']; created_at: Date }>(
      `SELECT slack_user, reaction, sentiment, created_at FROM feedback
       WHERE workflow_id = $1 AND retracted_at IS NULL ORDER BY created_at`,
      [workflowId],
    );
    return rows.map((row) => ({ user: row.slack_user, reaction: row.reaction, sentiment: row.sentiment, at: row.created_at }));
  }
}

import type { Database } from '../../core/db/pool';
import type { Feedback } from '../../core/workflow/feedback-contract';

/** A message a run posted (root or result), as tools/slack records it in `slack_messages`. */
export interface RunMessage {
  readonly workflowId: string;
  readonly runId: string;
  readonly workflow: string;
  readonly kind: 'root' | 'result';
}

/** One reaction event on a run's message. */
export interface ReactionChange {
  readonly channel: string;
  readonly ts: string;
  readonly user: string;
  readonly reaction: string;
  readonly sentiment: Feedback['sentiment'];
  /** The event's time: changes apply in this order, whatever order they arrive in. */
  readonly eventTs: string;
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
    const { rows } = await this.db.query<{
      workflow_id: string;
      run_id: string;
      workflow: string;
      kind: RunMessage['kind'];
    }>('SELECT workflow_id, run_id, workflow, kind FROM slack_messages WHERE channel = $1 AND ts = $2', [
      channel,
      ts,
    ]);
    const row = rows[0];
    return row && { workflowId: row.workflow_id, runId: row.run_id, workflow: row.workflow, kind: row.kind };
  }

  /**
   * Stores the feedback, or revives a retracted one; false when nothing changed (a duplicate, or an
   * event older than the row's last change).
   */
  async record(message: RunMessage, reaction: ReactionChange): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO feedback (workflow_id, run_id, workflow, slack_user, reaction, sentiment, channel, message_ts, event_ts)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (channel, message_ts, slack_user, reaction) DO UPDATE
         SET retracted_at = NULL, created_at = now(), event_ts = EXCLUDED.event_ts
         WHERE feedback.retracted_at IS NOT NULL AND feedback.event_ts::numeric < EXCLUDED.event_ts::numeric`,
      this.values(message, reaction),
    );
    return (rowCount ?? 0) > 0;
  }

  /**
   * Retracts standing feedback; true only when some stood. A removal that arrives before its
   * addition leaves a retracted row behind, so the late addition does not bring it back.
   */
  async retract(message: RunMessage, reaction: ReactionChange): Promise<boolean> {
    const { rows } = await this.db.query<{ inserted: boolean }>(
      `INSERT INTO feedback (workflow_id, run_id, workflow, slack_user, reaction, sentiment, channel, message_ts, event_ts, retracted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
       ON CONFLICT (channel, message_ts, slack_user, reaction) DO UPDATE
         SET retracted_at = now(), event_ts = EXCLUDED.event_ts
         WHERE feedback.retracted_at IS NULL AND feedback.event_ts::numeric < EXCLUDED.event_ts::numeric
       RETURNING (xmax = 0) AS inserted`,
      this.values(message, reaction),
    );
    return rows.length > 0 && !rows[0]!.inserted;
  }

  private values(message: RunMessage, r: ReactionChange): unknown[] {
    return [
      message.workflowId,
      message.runId,
      message.workflow,
      r.user,
      r.reaction,
      r.sentiment,
      r.channel,
      r.ts,
      r.eventTs,
    ];
  }

  /** The feedback standing on a run, oldest first. */
  async forRun(workflowId: string): Promise<FeedbackEntry[]> {
    const { rows } = await this.db.query<{
      slack_user: string;
      reaction: string;
      sentiment: Feedback['sentiment'];
      created_at: Date;
    }>(
      `SELECT slack_user, reaction, sentiment, created_at FROM feedback
       WHERE workflow_id = $1 AND retracted_at IS NULL ORDER BY created_at`,
      [workflowId],
    );
    return rows.map((row) => ({
      user: row.slack_user,
      reaction: row.reaction,
      sentiment: row.sentiment,
      at: row.created_at,
    }));
  }
}

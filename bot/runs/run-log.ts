import type { Database } from '../../core/db/pool';

export interface LoggedRun {
  readonly workflowId: string;
  readonly workflow: string;
  readonly startedAt: Date;
}

/** The `runs` table: who started what from Slack, so `/pantheon status` can list someone's runs. */
export class RunLog {
  constructor(private readonly db: Database) {}

  async record(run: {
    workflowId: string;
    runId: string;
    workflow: string;
    startedBy: string;
    channel: string;
    threadTs?: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO runs (workflow_id, run_id, workflow, started_by, slack_channel, slack_thread_ts) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workflow_id) DO NOTHING`,
      [run.workflowId, run.runId, run.workflow, run.startedBy, run.channel, run.threadTs ?? null],
    );
  }

  async recent(startedBy: string, limit = 10): Promise<LoggedRun[]> {
    const { rows } = await this.db.query<{ workflow_id: string; workflow: string; started_at: Date }>(
      'SELECT workflow_id, workflow, started_at FROM runs WHERE started_by = $1 ORDER BY started_at DESC LIMIT $2',
      [startedBy, limit],
    );
    return rows.map((row) => ({
      workflowId: row.workflow_id,
      workflow: row.workflow,
      startedAt: row.started_at,
    }));
  }
}

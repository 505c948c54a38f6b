-- Runs started from Slack, so `/pantheon status` can list a person's recent runs without a
-- Temporal search attribute.
CREATE TABLE IF NOT EXISTS runs (
  workflow_id text PRIMARY KEY,
  run_id text NOT NULL,
  workflow text NOT NULL,
  started_by text NOT NULL,
  slack_channel text,
  slack_thread_ts text,
  started_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS runs_started_by_idx ON runs (started_by, started_at DESC);

-- The messages a run posted (its root status and its result), so a reaction on one finds its run.
CREATE TABLE IF NOT EXISTS slack_messages (
  channel text NOT NULL,
  ts text NOT NULL,
  workflow_id text NOT NULL,
  run_id text NOT NULL,
  workflow text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('root', 'result')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, ts)
);
CREATE INDEX IF NOT EXISTS slack_messages_workflow_idx ON slack_messages (workflow_id);

-- 👍/👎 on a result. One row per person, message and reaction; removing the reaction retracts it.
CREATE TABLE IF NOT EXISTS feedback (
  id bigserial PRIMARY KEY,
  workflow_id text NOT NULL,
  run_id text NOT NULL,
  workflow text NOT NULL,
  slack_user text NOT NULL,
  reaction text NOT NULL,
  sentiment text NOT NULL CHECK (sentiment IN ('positive', 'negative')),
  channel text NOT NULL,
  message_ts text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retracted_at timestamptz,
  UNIQUE (channel, message_ts, slack_user, reaction)
);
CREATE INDEX IF NOT EXISTS feedback_workflow_idx ON feedback (workflow_id);

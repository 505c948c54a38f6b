-- Approvals: one row a request, an append-only event log (the audit), single-use email tokens and
-- the inbound mails already handled (so a restarted poller never handles one twice).
CREATE TABLE IF NOT EXISTS approval_requests (
  id text PRIMARY KEY,
  workflow_id text NOT NULL,
  run_id text NOT NULL,
  title text NOT NULL,
  details text NOT NULL DEFAULT '',
  requested_by text,
  action_name text,
  action_args jsonb,
  action_hash text,
  -- Identities allowed to decide now (`slack:U…`, `email:a@b`), groups already resolved to members.
  approvers text[] NOT NULL,
  quorum integer NOT NULL DEFAULT 1,
  allow_comment boolean NOT NULL DEFAULT false,
  channel text,
  thread_ts text,
  stage text NOT NULL DEFAULT 'initial',
  deadline timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  decided_by text,
  decided_via text,
  decided_at timestamptz,
  comment text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS approval_requests_workflow ON approval_requests (workflow_id);
CREATE INDEX IF NOT EXISTS approval_requests_pending ON approval_requests (created_at) WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS approval_events (
  id bigserial PRIMARY KEY,
  -- No foreign key: refused attempts name requests that may not exist (a forged id).
  request_id text NOT NULL,
  workflow_id text,
  -- requested | notified | reminded | escalated | vote | decided | expired | refused
  kind text NOT NULL,
  actor text,
  via text,
  detail jsonb NOT NULL DEFAULT '{}',
  -- Activities retry: the same key records (and notifies) once.
  idempotency_key text UNIQUE,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS approval_events_request ON approval_events (request_id, id);
CREATE INDEX IF NOT EXISTS approval_events_workflow ON approval_events (workflow_id, id);
-- One vote per approver and request: the database settles simultaneous clicks.
CREATE UNIQUE INDEX IF NOT EXISTS approval_events_one_vote ON approval_events (request_id, actor) WHERE kind = 'vote';

CREATE TABLE IF NOT EXISTS approval_tokens (
  nonce text PRIMARY KEY,
  request_id text NOT NULL REFERENCES approval_requests (id),
  approver text NOT NULL,
  action_hash text,
  key_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by text
);

CREATE TABLE IF NOT EXISTS approval_inbound_messages (
  source text NOT NULL,
  message_id text NOT NULL,
  outcome text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, message_id)
);

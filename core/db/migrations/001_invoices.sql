-- The sample invoice-review workflow's ledger. The idempotency key makes a retried activity
-- (e.g. after a worker crash) write its row exactly once.
CREATE TABLE IF NOT EXISTS ledger_entries (
  id bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  vendor text NOT NULL,
  amount numeric(14, 2) NOT NULL,
  currency text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

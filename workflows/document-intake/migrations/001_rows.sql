-- The rows document-intake keeps: one row per table row of each document read, by the document's
-- content address (the same file read twice updates its rows instead of adding them again).
CREATE TABLE rows (
  document text NOT NULL,
  row_number int NOT NULL,
  data jsonb NOT NULL,
  run_id text NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document, row_number)
);

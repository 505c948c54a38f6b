-- Slack may deliver a reaction's removal before its addition (or either twice): each feedback row
-- keeps the event_ts of the last change applied, and only a later event changes it.
ALTER TABLE feedback ADD COLUMN IF NOT EXISTS event_ts text NOT NULL DEFAULT '0';

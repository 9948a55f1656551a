-- What the mail worker needs to retry a message: when to try next, and why it failed.
ALTER TABLE notifications ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN last_error TEXT;

-- The history and the outbox are read newest first for one token.
CREATE INDEX notifications_token ON notifications (token_id, id);

-- Sessions end after a while unused: when each one was last used, to the minute.

ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;

UPDATE sessions SET last_seen_at = created_at;

CREATE INDEX sessions_last_seen ON sessions (last_seen_at);

-- The account's activity log (issue 14): newest first, a keyset page at a time, from the
-- index alone.
CREATE INDEX audit_events_account ON audit_events (account_id, created_at, id);

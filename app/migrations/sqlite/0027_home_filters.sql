-- Home's items are filters of the token list: "Unused for 30 days" reads last_used_at and
-- "Primary contact disabled" primary_contact_id, so the list's covering index holds both and
-- every filter still reads the index alone.
DROP INDEX tokens_live_newest;
CREATE INDEX tokens_live_newest
    ON tokens (account_id, created_at DESC, id DESC, enabled, name_folded, expires_at, exposed_at,
               quota_near_until, last_used_at, primary_contact_id, deleted_at)
    WHERE deleted_at IS NULL;

-- The list's State filter gains Expired: the index that counting and paging read alone
-- now covers the expiry too.
DROP INDEX tokens_live_newest;
CREATE INDEX tokens_live_newest
    ON tokens (account_id, created_at DESC, id DESC, enabled, name_folded, expires_at, deleted_at)
    WHERE deleted_at IS NULL;

-- Leaked secrets: what the account does when one of its tokens' secrets is reported
-- exposed (a secret-scanning report), and the exposure itself on the token.

-- 'revoke' (the secret dies, the token stays and can be Reset), 'disable' (the token is
-- disabled) or 'notify' (nothing changes but the record and the mail).
ALTER TABLE accounts ADD COLUMN exposure_policy TEXT NOT NULL DEFAULT 'revoke'
    CHECK (exposure_policy IN ('revoke', 'disable', 'notify'));

-- The last exposure reported, until a Reset issues a secret nobody has seen: when, where
-- (the URL the reporter gave, cut to 512 characters), who reported it ('github:<source>'
-- or 'report'), and the SHA-256 of the secret reported, so a second report of the same
-- secret changes nothing.
ALTER TABLE tokens ADD COLUMN exposed_at BIGINT;
ALTER TABLE tokens ADD COLUMN exposed_url TEXT;
ALTER TABLE tokens ADD COLUMN exposed_by TEXT;
ALTER TABLE tokens ADD COLUMN exposed_hash BYTEA;

-- The home page and the list's Exposed filter read only the exposed tokens of an account.
CREATE INDEX tokens_exposed ON tokens (account_id, exposed_at) WHERE exposed_at IS NOT NULL;

-- The list's Exposed filter reads the covering index of the list, like its other filters.
DROP INDEX tokens_live_newest;
CREATE INDEX tokens_live_newest
    ON tokens (account_id, created_at DESC, id DESC, enabled, name_folded, expires_at, exposed_at,
               deleted_at)
    WHERE deleted_at IS NULL;

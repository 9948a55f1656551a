-- Tokens that govern themselves (issue 13): expiration and its warnings, IP allowlists,
-- rotation with overlap, the account's token policy, revocation by the holder.

-- When the token stops authenticating (NULL: never) and when its contacts were warned.
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE tokens ADD COLUMN warned_week_at BIGINT;
ALTER TABLE tokens ADD COLUMN warned_day_at BIGINT;
-- Allowed IP addresses, space-separated (empty: everywhere).
ALTER TABLE tokens ADD COLUMN allowed_ips TEXT NOT NULL DEFAULT '';
-- The previous secret during a Reset's overlap, and when it stops working.
ALTER TABLE tokens ADD COLUMN old_secret_hash BYTEA;
ALTER TABLE tokens ADD COLUMN old_secret_until BIGINT;
CREATE UNIQUE INDEX tokens_old_secret ON tokens (old_secret_hash)
    WHERE old_secret_hash IS NOT NULL;
-- The expiry warnings' scan: live tokens that expire.
CREATE INDEX tokens_expiring ON tokens (expires_at)
    WHERE expires_at IS NOT NULL AND deleted_at IS NULL;

-- The account's token policy: the longest lifetime in days (NULL: no maximum) and
-- whether a token may never expire.
ALTER TABLE accounts ADD COLUMN max_token_lifetime_days BIGINT;
ALTER TABLE accounts ADD COLUMN allow_never_expiring BOOLEAN NOT NULL DEFAULT TRUE;

-- An event may have no user behind it (a holder revoking a secret).
ALTER TABLE audit_events ALTER COLUMN actor_id DROP NOT NULL;

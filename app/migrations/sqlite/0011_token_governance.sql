-- Tokens that govern themselves (issue 13): expiration and its warnings, IP allowlists,
-- rotation with overlap, the account's token policy, revocation by the holder.

-- When the token stops authenticating (NULL: never) and when its contacts were warned.
ALTER TABLE tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE tokens ADD COLUMN warned_week_at INTEGER;
ALTER TABLE tokens ADD COLUMN warned_day_at INTEGER;
-- Allowed IP addresses, space-separated (empty: everywhere).
ALTER TABLE tokens ADD COLUMN allowed_ips TEXT NOT NULL DEFAULT '';
-- The previous secret during a Reset's overlap, and when it stops working.
ALTER TABLE tokens ADD COLUMN old_secret_hash BLOB;
ALTER TABLE tokens ADD COLUMN old_secret_until INTEGER;
CREATE UNIQUE INDEX tokens_old_secret ON tokens (old_secret_hash)
    WHERE old_secret_hash IS NOT NULL;
-- The expiry warnings' scan: live tokens that expire.
CREATE INDEX tokens_expiring ON tokens (expires_at)
    WHERE expires_at IS NOT NULL AND deleted_at IS NULL;

-- The account's token policy: the longest lifetime in days (NULL: no maximum) and
-- whether a token may never expire.
ALTER TABLE accounts ADD COLUMN max_token_lifetime_days INTEGER;
ALTER TABLE accounts ADD COLUMN allow_never_expiring INTEGER NOT NULL DEFAULT 1
    CHECK (allow_never_expiring IN (0, 1));

-- An event may have no user behind it (a holder revoking a secret): actor_id may be NULL.
CREATE TABLE audit_events_new (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_id    INTEGER REFERENCES tokens(id) ON DELETE CASCADE,
    actor_id    INTEGER REFERENCES users(id),
    action      TEXT    NOT NULL,
    detail      TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
);
INSERT INTO audit_events_new (id, account_id, token_id, actor_id, action, detail, created_at)
    SELECT id, account_id, token_id, actor_id, action, detail, created_at FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_new RENAME TO audit_events;
CREATE INDEX audit_events_token ON audit_events (token_id, created_at);

-- Access tokens, their scopes and developer contacts, the audit trail and the outbox.

CREATE TABLE tokens (
    id                  INTEGER PRIMARY KEY,
    account_id          INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    sid                 TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    description         TEXT    NOT NULL DEFAULT '',
    api_version         INTEGER NOT NULL CHECK (api_version BETWEEN 11 AND 14),
    -- Only the SHA-256 of the secret and its last four characters are kept.
    secret_hash         BLOB    NOT NULL UNIQUE,
    secret_last4        TEXT    NOT NULL,
    enabled             INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    primary_contact_id  INTEGER NOT NULL REFERENCES users(id),
    created_by          INTEGER NOT NULL REFERENCES users(id),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1,
    last_used_at        INTEGER,
    deleted_at          INTEGER
);

-- A name is unique among an account's live tokens, whatever its case.
CREATE UNIQUE INDEX tokens_account_name ON tokens (account_id, name COLLATE NOCASE)
    WHERE deleted_at IS NULL;
CREATE INDEX tokens_account_created ON tokens (account_id, created_at);

CREATE TABLE token_scopes (
    token_id  INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    scope     TEXT    NOT NULL,
    PRIMARY KEY (token_id, scope)
) WITHOUT ROWID;

CREATE TABLE token_developer_emails (
    token_id  INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    email     TEXT    NOT NULL,
    PRIMARY KEY (token_id, position)
) WITHOUT ROWID;

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_id    INTEGER REFERENCES tokens(id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES users(id),
    action      TEXT    NOT NULL,
    detail      TEXT    NOT NULL DEFAULT '{}',
    created_at  INTEGER NOT NULL
);
CREATE INDEX audit_events_token ON audit_events (token_id, created_at);

-- Messages to a token's contacts; delivered by SMTP when a mail server is configured.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_id    INTEGER REFERENCES tokens(id) ON DELETE CASCADE,
    recipient   TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
);
CREATE INDEX notifications_state ON notifications (state, id);

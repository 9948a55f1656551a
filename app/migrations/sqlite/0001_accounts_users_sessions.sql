-- Accounts, their users and signed-in sessions.

CREATE TABLE accounts (
    id                  INTEGER PRIMARY KEY,
    sid                 TEXT    NOT NULL UNIQUE,
    name                TEXT    NOT NULL,
    api_access_enabled  INTEGER NOT NULL DEFAULT 0 CHECK (api_access_enabled IN (0, 1)),
    created_at          INTEGER NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    email          TEXT    NOT NULL,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN
                     ('account_admin', 'implementation_specialist', 'analyst', 'finance')),
    password_hash  TEXT    NOT NULL,
    created_at     INTEGER NOT NULL
);

-- An email signs in to exactly one user, whatever its case.
CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE);
CREATE INDEX users_account ON users (account_id);

-- Only the SHA-256 of a session id is stored: a copy of the database opens no session.
CREATE TABLE sessions (
    id_hash     BLOB    PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

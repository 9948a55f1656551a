-- Second factors: an authenticator app (TOTP) and its recovery codes; sign-ins waiting
-- for their second factor; when each session last proved who it is (sudo mode).

-- One authenticator app per user. `secret` is the base32 shared key: never logged, never
-- shown again once confirmed. A row with `confirmed_at` NULL is a set-up in progress and
-- does not count as a factor. `last_step` is the last 30-second step whose code was
-- accepted: a code is accepted once.
CREATE TABLE totp_factors (
    user_id       BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret        TEXT    NOT NULL,
    created_at    BIGINT NOT NULL,
    confirmed_at  BIGINT,
    last_step     BIGINT NOT NULL DEFAULT 0,
    last_used_at  BIGINT
);

-- Ten single-use codes per user; only the SHA-256 of each is stored.
CREATE TABLE recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash  BYTEA   NOT NULL,
    created_at BIGINT NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- A password that was right, waiting for the second factor (5 minutes at most). Only the
-- SHA-256 of the browser's cookie is stored; `checked_hash` is the password hash that was
-- verified, so a password reset meanwhile wins.
CREATE TABLE pending_sign_ins (
    id_hash       BYTEA   PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    checked_hash  TEXT    NOT NULL,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    -- Wrong codes sent for it: the first is audited and mailed, the fifth ends it.
    failures      BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX pending_sign_ins_expiry ON pending_sign_ins (expires_at);

-- When the session last proved who it is (sign-in, or Confirm access).
ALTER TABLE sessions ADD COLUMN proved_at BIGINT NOT NULL DEFAULT 0;

-- The account's rule: 'off', 'everyone', or 'token_managers' (the roles that manage tokens).
ALTER TABLE accounts ADD COLUMN require_two_factor TEXT NOT NULL DEFAULT 'off'
    CHECK (require_two_factor IN ('off', 'everyone', 'token_managers'));

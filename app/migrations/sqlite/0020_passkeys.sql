-- Passkeys (WebAuthn): a user's public-key credentials, and the challenges of ceremonies
-- in progress.

-- A passkey: `credential` is the relying party's record of it (public key, signature
-- counter, flags) as webauthn-rs serialises it; no secret is stored. `credential_id` is
-- unique across every user: one credential belongs to one user. `user_handle` is the random
-- id the authenticator keeps for the user (the same for all of a user's passkeys).
CREATE TABLE passkeys (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    credential_id  BLOB    NOT NULL UNIQUE,
    user_handle    BLOB    NOT NULL,
    name           TEXT    NOT NULL,
    credential     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    last_used_at   INTEGER
);

CREATE INDEX passkeys_user ON passkeys (user_id);

-- A ceremony's challenge, single-use, for 5 minutes at most. Only the SHA-256 of the id the
-- browser holds is stored. `purpose` binds it: adding a passkey or confirming access (the
-- session's user), the second step of a sign-in (the pending sign-in's user), or signing in
-- with a passkey alone (no user yet; bounded per client address).
CREATE TABLE passkey_challenges (
    id_hash     BLOB    PRIMARY KEY,
    purpose     TEXT    NOT NULL CHECK (purpose IN ('register', 'sign_in', 'second_step', 'confirm_access')),
    user_id     INTEGER REFERENCES users(id) ON DELETE CASCADE,
    address     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX passkey_challenges_expiry ON passkey_challenges (expires_at);
CREATE INDEX passkey_challenges_user ON passkey_challenges (user_id);
CREATE INDEX passkey_challenges_address ON passkey_challenges (address);

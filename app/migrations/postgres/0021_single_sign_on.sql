-- Single sign-on (OpenID Connect): an account's identity provider, the identities it
-- vouched for, and sign-ins waiting for its answer.

-- One identity provider per account. `client_secret` is the secret the provider issued
-- for Tokensmith: never logged, never shown again once saved. `required`: passwords (and
-- passkeys alone) stop working for everyone but `break_glass_user_id`, an Account
-- Administrator whose every password sign-in is audited.
CREATE TABLE sso_configs (
    account_id           BIGINT  PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    issuer               TEXT    NOT NULL,
    client_id            TEXT    NOT NULL,
    client_secret        TEXT    NOT NULL,
    create_users         BOOLEAN NOT NULL DEFAULT FALSE,
    default_role         TEXT    NOT NULL DEFAULT 'analyst' CHECK (default_role IN
                           ('account_admin', 'implementation_specialist', 'analyst', 'finance')),
    required             BOOLEAN NOT NULL DEFAULT FALSE,
    break_glass_user_id  BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    updated_at           BIGINT  NOT NULL
);

-- Who the provider said signed in (its issuer and subject, never the email, which can
-- change), and the console user that is.
CREATE TABLE sso_identities (
    issuer        TEXT    NOT NULL,
    subject       TEXT    NOT NULL,
    user_id       BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    BIGINT  NOT NULL,
    last_used_at  BIGINT  NOT NULL,
    PRIMARY KEY (issuer, subject)
);

CREATE INDEX sso_identities_user ON sso_identities (user_id);

-- A sign-in sent to the provider, for 10 minutes at most: its state, nonce and PKCE
-- verifier, keyed by the SHA-256 of the browser's cookie; used once.
CREATE TABLE sso_logins (
    id_hash        BYTEA    PRIMARY KEY,
    account_id     BIGINT  NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    address        TEXT    NOT NULL,
    state          TEXT    NOT NULL,
    nonce          TEXT    NOT NULL,
    pkce_verifier  TEXT    NOT NULL,
    next           TEXT    NOT NULL,
    expires_at     BIGINT  NOT NULL
);

CREATE INDEX sso_logins_expiry ON sso_logins (expires_at);
CREATE INDEX sso_logins_address ON sso_logins (address);

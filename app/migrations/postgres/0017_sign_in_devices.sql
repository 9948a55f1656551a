-- Browsers where a user has signed in (OWASP's device cookies): a sign-in that presents
-- one is limited on its own, not by its address's or the account's lockout of strangers.
-- Only the SHA-256 of the cookie's random value is stored.
CREATE TABLE sign_in_devices (
    id_hash       BYTEA  PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT NOT NULL
);

CREATE INDEX sign_in_devices_user ON sign_in_devices (user_id, last_used_at);
CREATE INDEX sign_in_devices_age ON sign_in_devices (last_used_at);

-- When the holder of a token's Auth Token revoked it (POST /oauth/revoke): the token stays
-- disabled, and can't be enabled again, until a Reset issues a secret nobody else holds.
ALTER TABLE tokens ADD COLUMN secret_revoked_at BIGINT;

-- Running the account (issue 14): users an administrator disables, temporary passwords that
-- must be changed at the next sign-in, and when each user last signed in.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;

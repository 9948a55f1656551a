-- Running the account (issue 14): users an administrator disables, temporary passwords that
-- must be changed at the next sign-in, and when each user last signed in.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));
ALTER TABLE users ADD COLUMN last_sign_in_at INTEGER;

-- Failed sign-ins per account and per client address in their current window, shared by
-- every instance. Unlogged: a crash of the server forgets them, and costs no WAL.
CREATE UNLOGGED TABLE sign_in_windows (
    key      TEXT   PRIMARY KEY,
    started  BIGINT NOT NULL,
    count    BIGINT NOT NULL
);

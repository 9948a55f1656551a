-- Failed sign-ins per account and per client address in their current window, for
-- throttling shared by several instances. Only used on PostgreSQL (one SQLite file has
-- one instance, which counts in memory); here so both engines have the same migrations.
CREATE TABLE sign_in_windows (
    key      TEXT    PRIMARY KEY,
    started  INTEGER NOT NULL,
    count    INTEGER NOT NULL
) WITHOUT ROWID;

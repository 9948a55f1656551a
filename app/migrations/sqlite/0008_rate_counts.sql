-- Events per key and minute, for rate limits shared by several instances. Only used on
-- PostgreSQL (one SQLite file has one instance, which counts in memory); here so both
-- engines have the same migrations.
CREATE TABLE rate_counts (
    key     TEXT    NOT NULL,
    minute  INTEGER NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (key, minute)
) WITHOUT ROWID;

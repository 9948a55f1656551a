-- Events per key and minute, for rate limits shared by every instance. Unlogged: counts
-- needn't survive a crash of the server, and writing them costs no WAL.
CREATE UNLOGGED TABLE rate_counts (
    key     TEXT   NOT NULL,
    minute  BIGINT NOT NULL,
    count   BIGINT NOT NULL,
    PRIMARY KEY (key, minute)
);

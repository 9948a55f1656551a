-- Events per key in fixed windows, for every limit shared by several instances (the sign-in
-- throttle, the brand API's rate limits): one table and one upsert for all of them.
-- Unlogged: a crash of the server forgets them, and they cost no WAL. Replaces rate_counts
-- and sign_in_windows.
CREATE UNLOGGED TABLE counter_windows (
    key    TEXT   PRIMARY KEY,
    ends   BIGINT NOT NULL,
    count  BIGINT NOT NULL
);

CREATE INDEX counter_windows_ends ON counter_windows (ends);

DROP TABLE rate_counts;
DROP TABLE sign_in_windows;

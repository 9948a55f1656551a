-- Events per key in fixed windows, for every limit shared by several instances (the sign-in
-- throttle, the brand API's rate limits): one table and one upsert for all of them. Only
-- used on PostgreSQL (one SQLite file has one instance, which counts in memory); here so
-- both engines have the same migrations. Replaces rate_counts and sign_in_windows.
CREATE TABLE counter_windows (
    key    TEXT    PRIMARY KEY,
    ends   INTEGER NOT NULL,
    count  INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX counter_windows_ends ON counter_windows (ends);

DROP TABLE rate_counts;
DROP TABLE sign_in_windows;

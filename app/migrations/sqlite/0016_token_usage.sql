-- Token usage (issue 14): sandbox requests per token, UTC day and scope, allowed and
-- refused, added up in memory and written once a minute; and where the last one came from.
CREATE TABLE token_usage (
    token_id  INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    day       INTEGER NOT NULL,
    scope     TEXT    NOT NULL DEFAULT '',
    allowed   INTEGER NOT NULL DEFAULT 0,
    refused   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (token_id, day, scope)
) WITHOUT ROWID;

ALTER TABLE tokens ADD COLUMN last_used_address TEXT;
ALTER TABLE tokens ADD COLUMN last_user_agent TEXT;

-- Webhook endpoints: where an account's token events are sent, signed per Standard
-- Webhooks. `secret` is the whsec_ signing secret (needed to sign, so kept as shown);
-- during a rotation the old one signs too until old_secret_until.
CREATE TABLE webhook_endpoints (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id),
    url              TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    -- The events it wants, space-separated ids.
    events           TEXT NOT NULL,
    secret           TEXT NOT NULL,
    old_secret       TEXT,
    old_secret_until INTEGER,
    enabled          INTEGER NOT NULL DEFAULT 1,
    -- Why it was disabled by the server (failing for 3 days); NULL when a person did.
    disabled_reason  TEXT,
    -- The first failure of the current run of failures; NULL after a success.
    failing_since    INTEGER,
    created_by       INTEGER REFERENCES users(id),
    created_at       INTEGER NOT NULL
);

CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id, id);

-- The webhook outbox: one message per event and endpoint, queued in the event's own
-- transaction. webhook_id is sent on every attempt. Per endpoint the lowest undelivered id
-- goes first (in order, one at a time); a claim (claim_until) keeps other instances off.
CREATE TABLE webhook_messages (
    id              INTEGER PRIMARY KEY,
    endpoint_id     INTEGER NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    webhook_id      TEXT NOT NULL UNIQUE,
    event_type      TEXT NOT NULL,
    payload         TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    state           TEXT NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'sending', 'delivered', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claim_until     INTEGER,
    delivered_at    INTEGER
);

CREATE INDEX webhook_messages_waiting ON webhook_messages (endpoint_id, id)
    WHERE state IN ('queued', 'sending');
CREATE INDEX webhook_messages_endpoint ON webhook_messages (endpoint_id, id DESC);

-- Each attempt: its HTTP status (NULL: no answer), time taken, the answer's first bytes
-- or the error.
CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY,
    message_id   INTEGER NOT NULL REFERENCES webhook_messages(id) ON DELETE CASCADE,
    attempted_at INTEGER NOT NULL,
    status       INTEGER,
    latency_ms   INTEGER NOT NULL,
    response     TEXT NOT NULL DEFAULT ''
);

CREATE INDEX webhook_attempts_message ON webhook_attempts (message_id, id);

-- token.expired goes out once per token: when it was announced.
ALTER TABLE tokens ADD COLUMN expired_announced_at INTEGER;

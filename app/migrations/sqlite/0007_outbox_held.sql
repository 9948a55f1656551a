-- Mail to addresses outside the account is capped per token and hour: the rest is 'held'
-- and later 'summarised' in one message, or 'dropped' when its address is no longer a
-- contact of the token. SQLite can't change a CHECK, so the table is rebuilt; nothing
-- references it.
--
-- batch: the change (or summary) a message belongs to; the cap counts batches.
-- capped: 1 when the recipient is not a user of the account (a developer email).
CREATE TABLE notifications_new (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_id         INTEGER REFERENCES tokens(id) ON DELETE CASCADE,
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'expired',
                                      'held', 'summarised', 'dropped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    message_id       TEXT    NOT NULL,
    claimed_at       INTEGER,
    batch            TEXT    NOT NULL DEFAULT '',
    capped           INTEGER NOT NULL DEFAULT 0
);

INSERT INTO notifications_new (id, account_id, token_id, recipient, subject, body, state,
                               attempts, created_at, sent_at, next_attempt_at, last_error,
                               message_id, claimed_at, batch, capped)
SELECT n.id, n.account_id, n.token_id, n.recipient, n.subject, n.body, n.state,
       n.attempts, n.created_at, n.sent_at, n.next_attempt_at, n.last_error,
       n.message_id, n.claimed_at, 'before-cap.' || n.created_at,
       NOT EXISTS (SELECT 1 FROM users u
                   WHERE u.account_id = n.account_id AND u.email = n.recipient COLLATE NOCASE)
FROM notifications n;

DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;

CREATE INDEX notifications_state ON notifications (state, id);
CREATE INDEX notifications_token ON notifications (token_id, id);

-- Delivery that never repeats a message: each attempt first claims its row ('sending',
-- with claimed_at), every message keeps one Message-ID across attempts, and mail too old
-- to be worth sending is 'expired'. SQLite can't change a CHECK, so the table is rebuilt;
-- nothing references it.
--
-- message_id is the Message-ID's local part until the first attempt, which completes it
-- as <local-part@domain of the From address>; from then on it never changes.
CREATE TABLE notifications_new (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token_id         INTEGER REFERENCES tokens(id) ON DELETE CASCADE,
    recipient        TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    body             TEXT    NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'expired')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    sent_at          INTEGER,
    next_attempt_at  INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    message_id       TEXT    NOT NULL,
    claimed_at       INTEGER
);

INSERT INTO notifications_new (id, account_id, token_id, recipient, subject, body, state,
                               attempts, created_at, sent_at, next_attempt_at, last_error,
                               message_id)
SELECT id, account_id, token_id, recipient, subject, body, state,
       attempts, created_at, sent_at, next_attempt_at, last_error,
       'notification-' || id || '.' || lower(hex(randomblob(8)))
FROM notifications;

DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;

CREATE INDEX notifications_state ON notifications (state, id);
CREATE INDEX notifications_token ON notifications (token_id, id);

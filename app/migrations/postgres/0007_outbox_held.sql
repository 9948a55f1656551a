-- Mail to addresses outside the account is capped per token and hour: the rest is 'held'
-- and later 'summarised' in one message, or 'dropped' when its address is no longer a
-- contact of the token.
--
-- batch: the change (or summary) a message belongs to; the cap counts batches.
-- capped: TRUE when the recipient is not a user of the account (a developer email).
ALTER TABLE notifications DROP CONSTRAINT notifications_state_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_state_check
    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'expired',
                     'held', 'summarised', 'dropped'));
ALTER TABLE notifications ADD COLUMN batch TEXT NOT NULL DEFAULT '';
ALTER TABLE notifications ADD COLUMN capped BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE notifications n SET batch = 'before-cap.' || n.created_at,
    capped = NOT EXISTS (SELECT 1 FROM users u
                         WHERE u.account_id = n.account_id AND lower(u.email) = lower(n.recipient));

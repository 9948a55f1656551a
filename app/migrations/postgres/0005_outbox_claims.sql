-- Delivery that never repeats a message: each attempt first claims its row ('sending',
-- with claimed_at), every message keeps one Message-ID across attempts, and mail too old
-- to be worth sending is 'expired'.
--
-- message_id is the Message-ID's local part until the first attempt, which completes it
-- as <local-part@domain of the From address>; from then on it never changes.
ALTER TABLE notifications DROP CONSTRAINT notifications_state_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_state_check
    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'expired'));
ALTER TABLE notifications ADD COLUMN message_id TEXT;
UPDATE notifications
    SET message_id = 'notification-' || id || '.' || md5(random()::text || id::text);
ALTER TABLE notifications ALTER COLUMN message_id SET NOT NULL;
ALTER TABLE notifications ADD COLUMN claimed_at BIGINT;

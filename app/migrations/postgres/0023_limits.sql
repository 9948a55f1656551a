-- Limits a brand sets per token (issue 28): a rate limit (requests per second, minute or
-- hour, counted in memory by each instance) and a quota (calls in all, or per UTC day or
-- month), kept exact across instances by leasing blocks of calls from the database.

-- The account's policy for its tokens' limits, as JSON: the defaults the wizard starts a
-- new token with and the ceilings no token may pass ({"defaults":{…},"ceiling":{…}}).
ALTER TABLE accounts ADD COLUMN limits_policy TEXT NOT NULL DEFAULT '{}';

-- Rate limit: both columns or neither.
ALTER TABLE tokens ADD COLUMN rate_requests BIGINT;
ALTER TABLE tokens ADD COLUMN rate_per TEXT CHECK (rate_per IN ('second', 'minute', 'hour'));
-- Quota: both columns or neither; quota_since starts the window of a quota never
-- refilled (set when a quota is added, kept while only its number changes).
ALTER TABLE tokens ADD COLUMN quota_calls BIGINT;
ALTER TABLE tokens ADD COLUMN quota_refill TEXT CHECK (quota_refill IN ('none', 'daily', 'monthly'));
ALTER TABLE tokens ADD COLUMN quota_since BIGINT;
-- Until when the token is near its quota (90 % of its window's calls handed out): the
-- window's end, or the largest integer for a quota never refilled; cleared when its limits
-- change. The list's "Near its quota" filter reads it from the list's covering index.
ALTER TABLE tokens ADD COLUMN quota_near_until BIGINT;

-- The calls of a token's quota window handed out so far: spent, or leased to an instance
-- and not yet given back. Never raised past the quota. When its contacts were told that
-- 90 % of the calls were handed out, and that none were left (each once per window).
CREATE TABLE quota_windows (
    token_id        BIGINT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    window_start    BIGINT NOT NULL,
    granted         BIGINT NOT NULL DEFAULT 0,
    warned_near_at  BIGINT,
    warned_spent_at BIGINT,
    PRIMARY KEY (token_id, window_start)
);

-- Blocks of calls an instance may spend without asking again: how many, how many it has
-- reported spent, and until when (Unix milliseconds) the lease holds. A lease its holder
-- gives back returns its unspent calls to the window; one that lapsed (its holder died) is
-- counted as spent in full, since calls spent after the last report can't be known.
CREATE TABLE quota_leases (
    id           BIGSERIAL PRIMARY KEY,
    token_id     BIGINT NOT NULL,
    window_start BIGINT NOT NULL,
    granted      BIGINT NOT NULL,
    spent        BIGINT NOT NULL DEFAULT 0,
    expires_at   BIGINT NOT NULL,
    FOREIGN KEY (token_id, window_start)
        REFERENCES quota_windows (token_id, window_start) ON DELETE CASCADE
);

CREATE INDEX quota_leases_window ON quota_leases (token_id, window_start, expires_at);

-- Calls refused by a limit, beside those allowed and refused by scope.
ALTER TABLE token_usage ADD COLUMN limited BIGINT NOT NULL DEFAULT 0;

-- The list's covering index holds quota_near_until, so "Near its quota" reads the index
-- alone like the other filters.
DROP INDEX tokens_live_newest;
CREATE INDEX tokens_live_newest
    ON tokens (account_id, created_at DESC, id DESC, enabled, name_folded, expires_at, exposed_at,
               quota_near_until, deleted_at)
    WHERE deleted_at IS NULL;

-- Limits a brand sets per token (issue 28): a rate limit (requests per second, minute or
-- hour, counted in memory by each instance) and a quota (calls in all, or per UTC day or
-- month), kept exact across instances by leasing blocks of calls from the database.

-- The account's policy for its tokens' limits, as JSON: the defaults the wizard starts a
-- new token with and the ceilings no token may pass ({"defaults":{…},"ceiling":{…}}).
ALTER TABLE accounts ADD COLUMN limits_policy TEXT NOT NULL DEFAULT '{}';

-- Rate limit: both columns or neither.
ALTER TABLE tokens ADD COLUMN rate_requests INTEGER;
ALTER TABLE tokens ADD COLUMN rate_per TEXT CHECK (rate_per IN ('second', 'minute', 'hour'));
-- Quota: both columns or neither; quota_since starts the window of a quota never
-- refilled (set when a quota is added, kept while only its number changes).
ALTER TABLE tokens ADD COLUMN quota_calls INTEGER;
ALTER TABLE tokens ADD COLUMN quota_refill TEXT CHECK (quota_refill IN ('none', 'daily', 'monthly'));
ALTER TABLE tokens ADD COLUMN quota_since INTEGER;
-- Until when the token is near its quota (90 % of its window's calls handed out): the
-- window's end, or the largest integer for a quota never refilled; cleared when its limits
-- change. The list's "Near its quota" filter reads it from the list's covering index.
ALTER TABLE tokens ADD COLUMN quota_near_until INTEGER;

-- Shared budgets: a name, a rate limit and/or a quota that several tokens of the account
-- draw on together (one agency, one budget, several tokens). A token keeps its own limits
-- too; the tighter refuses.
CREATE TABLE budgets (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    name          TEXT NOT NULL,
    name_folded   TEXT NOT NULL,
    rate_requests INTEGER,
    rate_per      TEXT CHECK (rate_per IN ('second', 'minute', 'hour')),
    quota_calls   INTEGER,
    quota_refill  TEXT CHECK (quota_refill IN ('none', 'daily', 'monthly')),
    quota_since   INTEGER,
    created_at    INTEGER NOT NULL,
    UNIQUE (account_id, name_folded)
);

-- The budget a token draws on, if any (a deleted budget frees its tokens).
ALTER TABLE tokens ADD COLUMN budget_id INTEGER REFERENCES budgets(id) ON DELETE SET NULL;

-- The calls of a quota window handed out so far, per owner: a token (its id) or a budget
-- (minus its id). Spent, or leased to an instance and not yet given back; never raised past
-- the quota. When a token's contacts were told that 90 % of the calls were handed out, and
-- that none were left (each once per window).
CREATE TABLE quota_windows (
    owner           INTEGER NOT NULL,
    window_start    INTEGER NOT NULL,
    granted         INTEGER NOT NULL DEFAULT 0,
    warned_near_at  INTEGER,
    warned_spent_at INTEGER,
    PRIMARY KEY (owner, window_start)
) WITHOUT ROWID;

-- Blocks of calls an instance may spend without asking again: how many, how many it has
-- reported spent, and until when (Unix milliseconds) the lease holds. A lease its holder
-- gives back (at a graceful stop, when idle, or from its journal after a SIGKILL) returns
-- its unspent calls to the window; one that lapsed while nobody knows what it spent counts
-- as spent in full.
CREATE TABLE quota_leases (
    id           INTEGER PRIMARY KEY,
    owner        INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    granted      INTEGER NOT NULL,
    spent        INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL,
    FOREIGN KEY (owner, window_start)
        REFERENCES quota_windows (owner, window_start) ON DELETE CASCADE
);

CREATE INDEX quota_leases_window ON quota_leases (owner, window_start, expires_at);

-- Calls refused by a limit, beside those allowed and refused by scope.
ALTER TABLE token_usage ADD COLUMN limited INTEGER NOT NULL DEFAULT 0;

-- The list's covering index holds quota_near_until, so "Near its quota" reads the index
-- alone like the other filters.
DROP INDEX tokens_live_newest;
CREATE INDEX tokens_live_newest
    ON tokens (account_id, created_at DESC, id DESC, enabled, name_folded, expires_at, exposed_at,
               quota_near_until, deleted_at)
    WHERE deleted_at IS NULL;

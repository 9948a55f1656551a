-- **Token creation**: 'directly', or 'needs_approval' (Implementation Specialists request
-- tokens; an Account Administrator approves or denies).
ALTER TABLE accounts ADD COLUMN token_creation TEXT NOT NULL DEFAULT 'directly'
    CHECK (token_creation IN ('directly', 'needs_approval'));

-- Requests for a token. The draft is the wizard's (JSON), validated when the request is
-- made and again when it is approved; name is its token name, for the list. An approved
-- request names its token; the secret waits for the requester until claim_until.
CREATE TABLE token_requests (
    id              BIGSERIAL PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts(id),
    requested_by    BIGINT NOT NULL REFERENCES users(id),
    requested_at    BIGINT NOT NULL,
    name            TEXT NOT NULL,
    reason          TEXT NOT NULL,
    draft           TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'approved', 'denied', 'withdrawn', 'expired')),
    decided_by      BIGINT REFERENCES users(id),
    decided_at      BIGINT,
    decision_reason TEXT,
    -- An administrator decided their own request as the account's only one.
    self_decided    BIGINT NOT NULL DEFAULT 0,
    token_id        BIGINT REFERENCES tokens(id),
    claim_until     BIGINT,
    claimed_at      BIGINT
);

CREATE INDEX token_requests_account ON token_requests (account_id, state, id);
CREATE INDEX token_requests_requester ON token_requests (requested_by, state);
CREATE INDEX token_requests_unclaimed ON token_requests (claim_until)
    WHERE state = 'approved' AND claimed_at IS NULL;

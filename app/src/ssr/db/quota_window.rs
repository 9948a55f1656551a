//! Which quota window a lease draws on, and what a lease is asked for: shared by the
//! leases and the notices they trigger.

use crate::domain::limits::Quota;

/// Which window of whose quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WindowKey {
    /// A token's id, or minus a budget's ([`WindowKey::budget`]).
    pub owner: i64,
    /// Unix seconds.
    pub start: i64,
}

/// What a lease is asked for.
#[derive(Debug, Clone, Copy)]
pub struct LeaseRequest {
    pub window: WindowKey,
    /// The owner's quota now.
    pub quota: Quota,
    /// When the window ends (Unix seconds); `None`: never.
    pub refills_at: Option<i64>,
    /// How many calls at most.
    pub want: u64,
    /// Until when the lease holds (Unix milliseconds).
    pub expires_at: i64,
    /// Now, Unix seconds (the time the window was chosen by).
    pub now: i64,
    /// The run of the instance asking (see `quota::give_back_run`).
    pub holder: i64,
}

impl WindowKey {
    /// A token's window starting at `start`.
    pub fn token(token_id: i64, start: i64) -> Self {
        Self {
            owner: token_id,
            start,
        }
    }

    /// A budget's window starting at `start`.
    pub fn budget(budget_id: i64, start: i64) -> Self {
        Self {
            owner: -budget_id,
            start,
        }
    }

    /// The token it belongs to; `None` for a budget's.
    pub fn token_id(&self) -> Option<i64> {
        (self.owner > 0).then_some(self.owner)
    }
}

//! Which quota window a lease draws on, and what a lease is asked for: shared by the
//! leases and the notices they trigger.

use crate::domain::limits::Quota;

/// Which window of which token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WindowKey {
    pub token_id: i64,
    /// Unix seconds.
    pub start: i64,
}

/// What a lease is asked for.
#[derive(Debug, Clone, Copy)]
pub struct LeaseRequest {
    pub window: WindowKey,
    /// The token's quota now.
    pub quota: Quota,
    /// When the window ends (Unix seconds); `None`: never.
    pub refills_at: Option<i64>,
    /// How many calls at most.
    pub want: u64,
    /// Until when the lease holds (Unix milliseconds).
    pub expires_at: i64,
    /// Now, Unix seconds (the time the window was chosen by).
    pub now: i64,
}

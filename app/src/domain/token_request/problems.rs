//! What is wrong with a request's **Reason**, or with an approval that would grant more
//! than was asked (shown beside the field like the wizard's problems).

use serde::{Deserialize, Serialize};

/// The longest **Reason** (of a request or a denial), in characters.
pub const REASON_MAX: usize = 500;

/// A **Reason** that can't be taken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ReasonError {
    #[error("Enter a reason.")]
    Required,
    #[error("Keep the reason to {REASON_MAX} characters.")]
    TooLong,
    #[error("The reason can't contain control characters.")]
    ControlCharacter,
}

/// What an approval would widen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Widening {
    #[error("Only scopes the request asked for can be approved.")]
    Scopes,
    #[error("Choose an expiration no later than the request's.")]
    Expiration,
    #[error("Keep the rate limit at or below the request's.")]
    RateLimit,
    #[error("Keep the quota at or below the request's.")]
    Quota,
}

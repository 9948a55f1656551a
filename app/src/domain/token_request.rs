//! Tokens by request. With the account's **Token creation** set to **Needs approval**, an
//! Implementation Specialist's wizard ends in **Request token** with a **Reason**; nothing
//! is minted. An Account Administrator **Approves** (narrowing scopes, expiration or
//! limits, never widening them) or **Denies** with a reason; the requester can
//! **Withdraw** while it is pending, and after approval sees the secret once. An approved
//! request unclaimed for [`CLAIM_DAYS`] expires and its token is disabled.

mod narrowing;
mod problems;
#[cfg(test)]
mod tests;

pub use narrowing::{narrow, Narrowing};
pub use problems::{ReasonError, Widening, REASON_MAX};
use serde::{Deserialize, Serialize};

/// Days an approved request's secret waits for its requester.
pub const CLAIM_DAYS: i64 = 7;

/// **Token creation**: how the account's tokens come to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TokenCreation {
    /// Whoever manages tokens creates them.
    #[default]
    Directly,
    /// Implementation Specialists request them; an Account Administrator approves.
    NeedsApproval,
}

impl TokenCreation {
    /// Both choices, in the order the form shows them.
    pub const ALL: [TokenCreation; 2] = [TokenCreation::Directly, TokenCreation::NeedsApproval];

    /// The id posted and stored.
    pub fn id(self) -> &'static str {
        match self {
            TokenCreation::Directly => "directly",
            TokenCreation::NeedsApproval => "needs_approval",
        }
    }

    /// What people see.
    pub fn label(self) -> &'static str {
        match self {
            TokenCreation::Directly => "Directly",
            TokenCreation::NeedsApproval => "Needs approval",
        }
    }

    /// The id back to a choice.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RequestState {
    /// Waiting for an Account Administrator.
    Pending,
    /// Approved: the token exists; its secret waits for the requester (or was shown).
    Approved,
    Denied,
    /// Taken back by its requester.
    Withdrawn,
    /// Approved and not claimed in time: its token is disabled.
    Expired,
}

impl RequestState {
    /// Every state, in the order the Requests page's filter offers them.
    pub const ALL: [RequestState; 5] = [
        RequestState::Pending,
        RequestState::Approved,
        RequestState::Denied,
        RequestState::Withdrawn,
        RequestState::Expired,
    ];

    /// The id stored and used in the page's address.
    pub fn id(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Approved => "approved",
            RequestState::Denied => "denied",
            RequestState::Withdrawn => "withdrawn",
            RequestState::Expired => "expired",
        }
    }

    /// What people see.
    pub fn label(self) -> &'static str {
        match self {
            RequestState::Pending => "Pending",
            RequestState::Approved => "Approved",
            RequestState::Denied => "Denied",
            RequestState::Withdrawn => "Withdrawn",
            RequestState::Expired => "Expired",
        }
    }

    /// The id back to a state.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// A request's or a denial's **Reason**: trimmed, required, at most [`REASON_MAX`]
/// characters, line breaks allowed and no other control characters.
pub fn reason(text: &str) -> Result<String, ReasonError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReasonError::Required);
    }
    if text.chars().count() > REASON_MAX {
        return Err(ReasonError::TooLong);
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(ReasonError::ControlCharacter);
    }
    Ok(text.to_string())
}

/// What someone does to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestAction {
    Approve,
    Deny,
    Withdraw,
    /// The requester opens an approved request and sees its secret.
    Claim,
}

/// Who acts on a request, as the server found them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decider {
    /// Whether they made the request.
    pub is_requester: bool,
    /// Whether they are an Account Administrator.
    pub is_admin: bool,
    /// Whether they are the account's only enabled Account Administrator.
    pub only_admin: bool,
}

/// Why an action on a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum RequestRefusal {
    /// Approving and denying are an Account Administrator's (403).
    #[error("Only an Account Administrator can approve or deny a request.")]
    NotAdmin,
    /// Withdrawing and claiming are the requester's (403).
    #[error("Only the person who made the request can do this.")]
    NotRequester,
    /// An administrator deciding their own request while another could (403).
    #[error("Another Account Administrator must decide your own request.")]
    OwnRequest,
    /// Decided or withdrawn meanwhile (409).
    #[error("This request is no longer pending.")]
    NotPending,
    /// Not approved, or its secret already shown or expired (409).
    #[error("There is no secret to show for this request.")]
    NothingToClaim,
}

/// Whether `by` may take `action` on a request in `state` (`claimed`: its secret was
/// shown). `Ok(true)` when an administrator decides their own request as the account's
/// only one (allowed, and audited as such).
pub fn allowed(
    action: RequestAction,
    state: RequestState,
    claimed: bool,
    by: Decider,
) -> Result<bool, RequestRefusal> {
    match action {
        RequestAction::Approve | RequestAction::Deny => {
            if !by.is_admin {
                return Err(RequestRefusal::NotAdmin);
            }
            if by.is_requester && !by.only_admin {
                return Err(RequestRefusal::OwnRequest);
            }
            if state != RequestState::Pending {
                return Err(RequestRefusal::NotPending);
            }
            Ok(by.is_requester)
        }
        RequestAction::Withdraw => {
            if !by.is_requester {
                return Err(RequestRefusal::NotRequester);
            }
            if state != RequestState::Pending {
                return Err(RequestRefusal::NotPending);
            }
            Ok(false)
        }
        RequestAction::Claim => {
            if !by.is_requester {
                return Err(RequestRefusal::NotRequester);
            }
            if state != RequestState::Approved || claimed {
                return Err(RequestRefusal::NothingToClaim);
            }
            Ok(false)
        }
    }
}

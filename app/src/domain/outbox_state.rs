//! Where a message to a token's contact stands in the outbox: the `state` column's values.

/// A message's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting for its (next) attempt.
    Queued,
    /// Claimed by a mail worker, being sent.
    Sending,
    /// Delivered to the mail server.
    Sent,
    /// Given up on after its last attempt.
    Failed,
    /// Never attempted, and too old to send.
    Expired,
    /// Held back by the cap on mail to developer emails.
    Held,
    /// Held, then sent as part of one summary message.
    Summarised,
    /// Held for an address that is no longer a contact of the token.
    Dropped,
}

impl OutboxState {
    /// Every state, in the order a message can reach them.
    pub const ALL: [OutboxState; 8] = [
        OutboxState::Queued,
        OutboxState::Sending,
        OutboxState::Sent,
        OutboxState::Failed,
        OutboxState::Expired,
        OutboxState::Held,
        OutboxState::Summarised,
        OutboxState::Dropped,
    ];

    /// The stored value (and metric label).
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
            OutboxState::Expired => "expired",
            OutboxState::Held => "held",
            OutboxState::Summarised => "summarised",
            OutboxState::Dropped => "dropped",
        }
    }

    /// The state stored as `text`, if it is one.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_state_reads_back_from_what_is_stored() {
        for state in OutboxState::ALL {
            assert_eq!(OutboxState::parse(state.as_str()), Some(state));
        }
        assert_eq!(OutboxState::parse("Queued"), None);
        assert_eq!(OutboxState::parse(""), None);
    }
}

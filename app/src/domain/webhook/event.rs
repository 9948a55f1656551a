//! The events a webhook endpoint can ask for, and which audit actions raise them.

use crate::domain::audit::AuditAction;
use serde::{Deserialize, Serialize};

/// An event type, as sent in a message's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum WebhookEvent {
    TokenCreated,
    TokenUpdated,
    TokenScopesChanged,
    TokenReset,
    TokenDisabled,
    TokenEnabled,
    TokenDeleted,
    TokenExpiring,
    TokenExpired,
    TokenExposed,
    TokenRevokedByHolder,
    RequestCreated,
    RequestApproved,
    RequestDenied,
    UserAdded,
    UserDisabled,
    /// **Send test event**: sent to one endpoint, whatever it asked for.
    Test,
}

impl WebhookEvent {
    /// Every event, in the order the form lists them.
    pub const ALL: [WebhookEvent; 17] = [
        WebhookEvent::TokenCreated,
        WebhookEvent::TokenUpdated,
        WebhookEvent::TokenScopesChanged,
        WebhookEvent::TokenReset,
        WebhookEvent::TokenDisabled,
        WebhookEvent::TokenEnabled,
        WebhookEvent::TokenDeleted,
        WebhookEvent::TokenExpiring,
        WebhookEvent::TokenExpired,
        WebhookEvent::TokenExposed,
        WebhookEvent::TokenRevokedByHolder,
        WebhookEvent::RequestCreated,
        WebhookEvent::RequestApproved,
        WebhookEvent::RequestDenied,
        WebhookEvent::UserAdded,
        WebhookEvent::UserDisabled,
        WebhookEvent::Test,
    ];

    /// The type as sent (`token.created`).
    pub fn id(self) -> &'static str {
        match self {
            WebhookEvent::TokenCreated => "token.created",
            WebhookEvent::TokenUpdated => "token.updated",
            WebhookEvent::TokenScopesChanged => "token.scopes_changed",
            WebhookEvent::TokenReset => "token.reset",
            WebhookEvent::TokenDisabled => "token.disabled",
            WebhookEvent::TokenEnabled => "token.enabled",
            WebhookEvent::TokenDeleted => "token.deleted",
            WebhookEvent::TokenExpiring => "token.expiring",
            WebhookEvent::TokenExpired => "token.expired",
            WebhookEvent::TokenExposed => "token.exposed",
            WebhookEvent::TokenRevokedByHolder => "token.revoked_by_holder",
            WebhookEvent::RequestCreated => "request.created",
            WebhookEvent::RequestApproved => "request.approved",
            WebhookEvent::RequestDenied => "request.denied",
            WebhookEvent::UserAdded => "user.added",
            WebhookEvent::UserDisabled => "user.disabled",
            WebhookEvent::Test => "test",
        }
    }

    /// The type `id` names, if any.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.id() == id)
    }

    /// When it is sent, in words for the form.
    pub fn description(self) -> &'static str {
        match self {
            WebhookEvent::TokenCreated => "A token was created (by the wizard or an approval).",
            WebhookEvent::TokenUpdated => {
                "A token's name, description, contacts, version, expiration, allowed IP addresses or limits changed."
            }
            WebhookEvent::TokenScopesChanged => "A token's scopes changed.",
            WebhookEvent::TokenReset => "A token's secret was reset.",
            WebhookEvent::TokenDisabled => "A token was disabled.",
            WebhookEvent::TokenEnabled => "A token was enabled again.",
            WebhookEvent::TokenDeleted => "A token was deleted.",
            WebhookEvent::TokenExpiring => "A token expires within a week, or within a day.",
            WebhookEvent::TokenExpired => "A token reached its expiration.",
            WebhookEvent::TokenExposed => "A token's secret was reported found in public.",
            WebhookEvent::TokenRevokedByHolder => "Whoever held a token's secret revoked it.",
            WebhookEvent::RequestCreated => "Someone requested a token.",
            WebhookEvent::RequestApproved => "A token request was approved.",
            WebhookEvent::RequestDenied => "A token request was denied.",
            WebhookEvent::UserAdded => "A user was added to the account.",
            WebhookEvent::UserDisabled => "A user was disabled.",
            WebhookEvent::Test => "Sent by Send test event.",
        }
    }

    /// The event an audited change raises, if any.
    pub fn for_audit(action: AuditAction) -> Option<Self> {
        use AuditAction as A;
        Some(match action {
            A::Created => WebhookEvent::TokenCreated,
            A::Edited
            | A::VersionUpgraded
            | A::ContactsChanged
            | A::Renewed
            | A::AllowedIpsChanged
            | A::LimitsChanged => WebhookEvent::TokenUpdated,
            A::ScopesChanged => WebhookEvent::TokenScopesChanged,
            A::Reset => WebhookEvent::TokenReset,
            A::Disabled => WebhookEvent::TokenDisabled,
            A::Enabled => WebhookEvent::TokenEnabled,
            A::Deleted => WebhookEvent::TokenDeleted,
            A::Exposed => WebhookEvent::TokenExposed,
            A::RevokedByHolder => WebhookEvent::TokenRevokedByHolder,
            A::RequestCreated => WebhookEvent::RequestCreated,
            A::RequestApproved => WebhookEvent::RequestApproved,
            A::RequestDenied => WebhookEvent::RequestDenied,
            A::UserAdded | A::SsoUserCreated => WebhookEvent::UserAdded,
            A::UserDisabled => WebhookEvent::UserDisabled,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_are_distinct() {
        for event in WebhookEvent::ALL {
            assert_eq!(WebhookEvent::from_id(event.id()), Some(event));
        }
        let ids: std::collections::BTreeSet<_> = WebhookEvent::ALL.map(WebhookEvent::id).into();
        assert_eq!(ids.len(), WebhookEvent::ALL.len());
        assert_eq!(WebhookEvent::from_id("token.renamed"), None);
    }

    #[test]
    fn every_event_but_the_timed_ones_and_test_comes_from_an_audited_change() {
        let raised: std::collections::BTreeSet<_> = AuditAction::ALL
            .into_iter()
            .filter_map(WebhookEvent::for_audit)
            .collect();
        let unraised: Vec<_> = WebhookEvent::ALL
            .into_iter()
            .filter(|e| !raised.contains(e))
            .collect();
        assert_eq!(
            unraised,
            [
                WebhookEvent::TokenExpiring,
                WebhookEvent::TokenExpired,
                WebhookEvent::Test
            ]
        );
        assert_eq!(WebhookEvent::for_audit(AuditAction::PasswordChanged), None);
    }
}

//! What the audit trail records about each change to a token or to the account's access,
//! and how it reads.

use serde::{Deserialize, Serialize};

mod sentences;

/// The kind of change an audit event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditAction {
    /// Issued by the wizard.
    Created,
    /// Name or description edited.
    Edited,
    /// API version raised.
    VersionUpgraded,
    /// Primary contact or developer emails changed.
    ContactsChanged,
    /// Scopes changed.
    ScopesChanged,
    /// Enabled again.
    Enabled,
    Disabled,
    /// Secret reset.
    Reset,
    Deleted,
    /// The account's API access turned on.
    ApiAccessEnabled,
    /// The account's API access turned off.
    ApiAccessDisabled,
    /// Sign-ins as this user refused for a while after too many failures.
    SignInThrottled,
    /// The user ended all of their sessions (**Sign out everywhere**).
    SignedOutEverywhere,
    /// The user changed their own password (their other sessions ended).
    PasswordChanged,
    /// Disabled through `POST /oauth/revoke` by whoever held its secret.
    RevokedByHolder,
    /// A Reset's old secret stopped before its overlap ended.
    OldSecretRevoked,
    /// The account's token policy changed.
    TokenPolicyChanged,
    /// Given a new expiration (same secret).
    Renewed,
    /// Its allowed IP addresses changed.
    AllowedIpsChanged,
    /// A user was added to the account.
    UserAdded,
    /// A user's role changed.
    UserRoleChanged,
    /// A user was disabled (their sessions ended).
    UserDisabled,
    /// A disabled user was enabled again.
    UserEnabled,
    /// A user's password was reset to a temporary one.
    UserPasswordReset,
    /// The user set up an authenticator app (their recovery codes with it).
    SecondFactorAdded,
    /// The user removed their authenticator app (and its recovery codes).
    SecondFactorRemoved,
    /// The user signed in with one of their recovery codes.
    RecoveryCodeUsed,
    /// The user replaced their recovery codes.
    RecoveryCodesRegenerated,
    /// The account's **Require two-factor authentication** rule changed.
    TwoFactorRuleChanged,
    /// A sign-in with the user's right password gave a wrong code.
    SecondFactorFailed,
    /// The user added a passkey to their sign-in.
    PasskeyAdded,
    /// The user removed one of their passkeys.
    PasskeyRemoved,
    /// The account's single sign-on was set up, changed or turned off.
    SsoSettingsChanged,
    /// The user signed in through the account's identity provider.
    SsoSignIn,
    /// The identity provider vouched for someone new, and **Create users on first sign-in**
    /// added them.
    SsoUserCreated,
    /// The break-glass administrator signed in with a password while single sign-on is
    /// required.
    BreakGlassSignIn,
    /// A secret-scanning report said one of its secrets was found in public.
    Exposed,
    /// Its rate limit or quota changed.
    LimitsChanged,
    /// 90 % of its quota's calls in the window were handed out.
    QuotaNearlySpent,
    /// Its quota's calls in the window are all spent: calls are refused until it refills.
    QuotaSpent,
    /// A budget was created.
    BudgetCreated,
    /// A budget's limits changed.
    BudgetChanged,
    /// A budget was deleted (its tokens keep their own limits).
    BudgetDeleted,
    /// The account's **Token creation** changed.
    TokenCreationChanged,
    /// A token was requested (nothing minted yet).
    RequestCreated,
    /// A token request was approved: its token exists, its secret waits for the requester.
    RequestApproved,
    /// A token request was denied, with a reason.
    RequestDenied,
    /// Its requester withdrew a token request.
    RequestWithdrawn,
    /// The requester saw the secret of their approved request.
    RequestClaimed,
    /// An approved request went unclaimed for 7 days: its token is disabled.
    RequestExpired,
    /// A webhook endpoint was added.
    WebhookAdded,
    /// A webhook endpoint's signing secret was rotated (the old one signs for 24 hours).
    WebhookSecretRotated,
    /// A webhook endpoint was disabled (by a person, or after failing for 3 days).
    WebhookDisabled,
    /// A webhook endpoint was enabled again.
    WebhookEnabled,
    /// A webhook endpoint was deleted.
    WebhookDeleted,
}

impl AuditAction {
    /// Every action, for parsing.
    pub const ALL: [AuditAction; 55] = [
        AuditAction::Created,
        AuditAction::Edited,
        AuditAction::VersionUpgraded,
        AuditAction::ContactsChanged,
        AuditAction::ScopesChanged,
        AuditAction::Enabled,
        AuditAction::Disabled,
        AuditAction::Reset,
        AuditAction::Deleted,
        AuditAction::ApiAccessEnabled,
        AuditAction::ApiAccessDisabled,
        AuditAction::SignInThrottled,
        AuditAction::SignedOutEverywhere,
        AuditAction::PasswordChanged,
        AuditAction::RevokedByHolder,
        AuditAction::OldSecretRevoked,
        AuditAction::TokenPolicyChanged,
        AuditAction::Renewed,
        AuditAction::AllowedIpsChanged,
        AuditAction::UserAdded,
        AuditAction::UserRoleChanged,
        AuditAction::UserDisabled,
        AuditAction::UserEnabled,
        AuditAction::UserPasswordReset,
        AuditAction::SecondFactorAdded,
        AuditAction::SecondFactorRemoved,
        AuditAction::RecoveryCodeUsed,
        AuditAction::RecoveryCodesRegenerated,
        AuditAction::TwoFactorRuleChanged,
        AuditAction::SecondFactorFailed,
        AuditAction::PasskeyAdded,
        AuditAction::PasskeyRemoved,
        AuditAction::SsoSettingsChanged,
        AuditAction::SsoSignIn,
        AuditAction::SsoUserCreated,
        AuditAction::BreakGlassSignIn,
        AuditAction::Exposed,
        AuditAction::LimitsChanged,
        AuditAction::QuotaNearlySpent,
        AuditAction::QuotaSpent,
        AuditAction::BudgetCreated,
        AuditAction::BudgetChanged,
        AuditAction::BudgetDeleted,
        AuditAction::TokenCreationChanged,
        AuditAction::RequestCreated,
        AuditAction::RequestApproved,
        AuditAction::RequestDenied,
        AuditAction::RequestWithdrawn,
        AuditAction::RequestClaimed,
        AuditAction::RequestExpired,
        AuditAction::WebhookAdded,
        AuditAction::WebhookSecretRotated,
        AuditAction::WebhookDisabled,
        AuditAction::WebhookEnabled,
        AuditAction::WebhookDeleted,
    ];

    /// The account's API access switched to `enabled`.
    pub fn api_access(enabled: bool) -> Self {
        if enabled {
            AuditAction::ApiAccessEnabled
        } else {
            AuditAction::ApiAccessDisabled
        }
    }

    /// The id stored in the database.
    pub fn id(self) -> &'static str {
        match self {
            AuditAction::Created => "created",
            AuditAction::Edited => "edited",
            AuditAction::VersionUpgraded => "version_upgraded",
            AuditAction::ContactsChanged => "contacts_changed",
            AuditAction::ScopesChanged => "scopes_changed",
            AuditAction::Enabled => "enabled",
            AuditAction::Disabled => "disabled",
            AuditAction::Reset => "reset",
            AuditAction::Deleted => "deleted",
            AuditAction::ApiAccessEnabled => "api_access_enabled",
            AuditAction::ApiAccessDisabled => "api_access_disabled",
            AuditAction::SignInThrottled => "sign_in_throttled",
            AuditAction::SignedOutEverywhere => "signed_out_everywhere",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::RevokedByHolder => "revoked_by_holder",
            AuditAction::OldSecretRevoked => "old_secret_revoked",
            AuditAction::TokenPolicyChanged => "token_policy_changed",
            AuditAction::Renewed => "renewed",
            AuditAction::AllowedIpsChanged => "allowed_ips_changed",
            AuditAction::LimitsChanged => "limits_changed",
            AuditAction::QuotaNearlySpent => "quota_nearly_spent",
            AuditAction::QuotaSpent => "quota_spent",
            AuditAction::BudgetCreated => "budget_created",
            AuditAction::BudgetChanged => "budget_changed",
            AuditAction::BudgetDeleted => "budget_deleted",
            AuditAction::TokenCreationChanged => "token_creation_changed",
            AuditAction::RequestCreated => "request_created",
            AuditAction::RequestApproved => "request_approved",
            AuditAction::RequestDenied => "request_denied",
            AuditAction::RequestWithdrawn => "request_withdrawn",
            AuditAction::RequestClaimed => "request_claimed",
            AuditAction::RequestExpired => "request_expired",
            AuditAction::WebhookAdded => "webhook_added",
            AuditAction::WebhookSecretRotated => "webhook_secret_rotated",
            AuditAction::WebhookDisabled => "webhook_disabled",
            AuditAction::WebhookEnabled => "webhook_enabled",
            AuditAction::WebhookDeleted => "webhook_deleted",
            AuditAction::UserAdded => "user_added",
            AuditAction::UserRoleChanged => "user_role_changed",
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::UserEnabled => "user_enabled",
            AuditAction::UserPasswordReset => "user_password_reset",
            AuditAction::SecondFactorAdded => "second_factor_added",
            AuditAction::SecondFactorRemoved => "second_factor_removed",
            AuditAction::RecoveryCodeUsed => "recovery_code_used",
            AuditAction::RecoveryCodesRegenerated => "recovery_codes_regenerated",
            AuditAction::TwoFactorRuleChanged => "two_factor_rule_changed",
            AuditAction::SecondFactorFailed => "second_factor_failed",
            AuditAction::PasskeyAdded => "passkey_added",
            AuditAction::PasskeyRemoved => "passkey_removed",
            AuditAction::SsoSettingsChanged => "sso_settings_changed",
            AuditAction::SsoSignIn => "sso_sign_in",
            AuditAction::SsoUserCreated => "sso_user_created",
            AuditAction::BreakGlassSignIn => "break_glass_sign_in",
            AuditAction::Exposed => "exposed",
        }
    }

    /// The stored id back to an action.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.id() == id)
    }
}

/// Who did what to a token, or to the account itself.
pub struct AuditEvent<'a> {
    pub account_id: i64,
    /// The token; `None` for a change to the account (its API access switch).
    pub token_id: Option<i64>,
    /// The user who acted; `None`: nobody signed in (whoever held a token's secret).
    pub actor_id: Option<i64>,
    /// What they did.
    pub action: AuditAction,
    /// Before and after.
    pub detail: &'a AuditDetail,
    /// When, Unix seconds.
    pub at: i64,
}

/// One field's value before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field as shown ("Name", "API version", …).
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The detail of an audit event, stored as JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditDetail {
    /// Fields whose value changed.
    pub changes: Vec<FieldChange>,
    /// Scopes granted.
    pub scopes_added: Vec<String>,
    /// Scopes taken away.
    pub scopes_removed: Vec<String>,
    /// The user the event is about ("name <email>"), for changes to users.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The client address of a throttled sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Facts about an event that changed no field ("Found at", "Reported by" …), as
    /// (label, value).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<(String, String)>,
}

impl AuditDetail {
    /// Records `field` if it changed.
    pub fn compare(&mut self, field: &str, before: &str, after: &str) {
        if before != after {
            self.changes.push(FieldChange {
                field: field.to_string(),
                before: before.to_string(),
                after: after.to_string(),
            });
        }
    }

    /// Records the scopes added and removed going from `before` to `after`.
    pub fn compare_scopes<'a>(
        &mut self,
        before: impl IntoIterator<Item = &'a str>,
        after: impl IntoIterator<Item = &'a str>,
    ) {
        use std::collections::BTreeSet;
        let before: BTreeSet<&str> = before.into_iter().collect();
        let after: BTreeSet<&str> = after.into_iter().collect();
        self.scopes_added = after.difference(&before).map(|s| s.to_string()).collect();
        self.scopes_removed = before.difference(&after).map(|s| s.to_string()).collect();
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.scopes_added.is_empty() && self.scopes_removed.is_empty()
    }

    /// The lines the history shows under the event's summary.
    pub fn lines(&self) -> Vec<String> {
        let shown = |value: &str| {
            if value.is_empty() {
                "(empty)".to_string()
            } else {
                format!("“{value}”")
            }
        };
        let mut lines: Vec<String> = self.user.iter().map(|u| format!("User: {u}")).collect();
        lines.extend(self.address.iter().map(|a| format!("From: {a}")));
        lines.extend(
            self.facts
                .iter()
                .map(|(label, value)| format!("{label}: {value}")),
        );
        lines.extend(
            self.changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.field, shown(&c.before), shown(&c.after))),
        );
        if !self.scopes_added.is_empty() {
            lines.push(format!("Scopes added: {}", self.scopes_added.join(", ")));
        }
        if !self.scopes_removed.is_empty() {
            lines.push(format!(
                "Scopes removed: {}",
                self.scopes_removed.join(", ")
            ));
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_through_their_ids() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::from_id(action.id()), Some(action));
        }
        assert_eq!(AuditAction::from_id("renamed"), None);
    }

    #[test]
    fn ids_are_distinct_and_the_api_access_switch_has_its_own() {
        let ids: std::collections::BTreeSet<&str> =
            AuditAction::ALL.iter().map(|a| a.id()).collect();
        assert_eq!(ids.len(), AuditAction::ALL.len());
        assert_eq!(AuditAction::api_access(true).id(), "api_access_enabled");
        assert_eq!(AuditAction::api_access(false).id(), "api_access_disabled");
    }

    #[test]
    fn scope_diffs_list_what_was_added_and_removed() {
        let mut detail = AuditDetail::default();
        detail.compare_scopes(["actions:get", "ads:get"], ["ads:get", "ads:post"]);
        assert_eq!(detail.scopes_added, ["ads:post"]);
        assert_eq!(detail.scopes_removed, ["actions:get"]);
        assert_eq!(
            detail.lines(),
            ["Scopes added: ads:post", "Scopes removed: actions:get"]
        );
    }

    #[test]
    fn unchanged_fields_are_not_recorded() {
        let mut detail = AuditDetail::default();
        detail.compare("Name", "Feed", "Feed");
        assert!(detail.is_empty());
        detail.compare("Description", "", "Nightly");
        assert_eq!(detail.lines(), ["Description: (empty) → “Nightly”"]);
    }

    #[test]
    fn old_events_still_read() {
        let detail: AuditDetail = serde_json::from_str(r#"{"scopes_added":["ads:get"]}"#).unwrap();
        assert_eq!(detail.lines(), ["Scopes added: ads:get"]);
    }
}

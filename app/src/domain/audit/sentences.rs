//! How each audit action reads: the history's sentence and the mail's subject.

use super::AuditAction;

impl AuditAction {
    /// What the history shows, as a short sentence.
    pub fn summary(self) -> &'static str {
        match self {
            AuditAction::Created => "Created the token",
            AuditAction::Edited => "Edited the overview",
            AuditAction::VersionUpgraded => "Upgraded the API version",
            AuditAction::ContactsChanged => "Changed the contacts",
            AuditAction::ScopesChanged => "Changed the scopes",
            AuditAction::Enabled => "Enabled the token",
            AuditAction::Disabled => "Disabled the token",
            AuditAction::Reset => "Reset the secret",
            AuditAction::Deleted => "Deleted the token",
            AuditAction::ApiAccessEnabled => "Turned the account's API access on",
            AuditAction::ApiAccessDisabled => "Turned the account's API access off",
            AuditAction::SignInThrottled => "Sign-ins refused after too many failures",
            AuditAction::SignedOutEverywhere => "Signed out everywhere",
            AuditAction::PasswordChanged => "Changed their password",
            AuditAction::RevokedByHolder => {
                "Disabled: its Auth Token was revoked through /oauth/revoke"
            }
            AuditAction::OldSecretRevoked => "Revoked the old secret",
            AuditAction::TokenPolicyChanged => "Changed the account's token policy",
            AuditAction::Renewed => "Renewed the token",
            AuditAction::AllowedIpsChanged => "Changed the allowed IP addresses",
            AuditAction::UserAdded => "Added a user",
            AuditAction::UserRoleChanged => "Changed a user's role",
            AuditAction::UserDisabled => "Disabled a user",
            AuditAction::UserEnabled => "Enabled a user",
            AuditAction::UserPasswordReset => "Reset a user's password",
            AuditAction::SecondFactorAdded => "Added an authenticator app to their sign-in",
            AuditAction::SecondFactorRemoved => "Removed the authenticator app from their sign-in",
            AuditAction::RecoveryCodeUsed => "Signed in with a recovery code",
            AuditAction::RecoveryCodesRegenerated => "Generated new recovery codes",
            AuditAction::TwoFactorRuleChanged => "Changed the account's two-factor requirement",
            AuditAction::SecondFactorFailed => {
                "Gave the right password, then a wrong authentication code"
            }
            AuditAction::PasskeyAdded => "Added a passkey to their sign-in",
            AuditAction::PasskeyRemoved => "Removed a passkey from their sign-in",
            AuditAction::SsoSettingsChanged => "Changed the account's single sign-on",
            AuditAction::SsoSignIn => "Signed in with single sign-on",
            AuditAction::SsoUserCreated => "Joined through single sign-on",
            AuditAction::BreakGlassSignIn => {
                "Signed in with a password while single sign-on is required (break glass)"
            }
            AuditAction::Exposed => "Reported exposed by secret scanning",
            AuditAction::LimitsChanged => "Changed the limits",
            AuditAction::QuotaNearlySpent => "Used 90 % of its quota",
            AuditAction::QuotaSpent => "Spent its quota: calls refused until it refills",
            AuditAction::BudgetCreated => "Created a budget",
            AuditAction::BudgetChanged => "Changed a budget's limits",
            AuditAction::BudgetDeleted => "Deleted a budget",
            AuditAction::TokenCreationChanged => "Changed how the account's tokens are created",
            AuditAction::RequestCreated => "Requested a token",
            AuditAction::RequestApproved => "Approved a token request",
            AuditAction::RequestDenied => "Denied a token request",
            AuditAction::RequestWithdrawn => "Withdrew a token request",
            AuditAction::RequestClaimed => "Saw the secret of their approved request",
            AuditAction::RequestExpired => {
                "Disabled: its request's secret was not claimed within 7 days"
            }
            AuditAction::WebhookAdded => "Added a webhook endpoint",
            AuditAction::WebhookSecretRotated => "Rotated a webhook endpoint's signing secret",
            AuditAction::WebhookDisabled => "Disabled a webhook endpoint",
            AuditAction::WebhookEnabled => "Enabled a webhook endpoint",
            AuditAction::WebhookDeleted => "Deleted a webhook endpoint",
        }
    }

    /// The subject line's tail for the contacts' notification.
    pub fn notice(self) -> &'static str {
        match self {
            AuditAction::Created => "created",
            AuditAction::Edited => "name or description changed",
            AuditAction::VersionUpgraded => "API version upgraded",
            AuditAction::ContactsChanged => "contacts changed",
            AuditAction::ScopesChanged => "scopes changed",
            AuditAction::Enabled => "enabled",
            AuditAction::Disabled => "disabled",
            AuditAction::Reset => "secret reset",
            AuditAction::Deleted => "deleted",
            AuditAction::ApiAccessEnabled => "API access enabled",
            AuditAction::ApiAccessDisabled => "API access disabled",
            AuditAction::SignInThrottled => "sign-ins throttled",
            AuditAction::SignedOutEverywhere => "signed out everywhere",
            AuditAction::PasswordChanged => "password changed",
            AuditAction::RevokedByHolder => "disabled by revocation of its Auth Token",
            AuditAction::OldSecretRevoked => "old secret revoked",
            AuditAction::TokenPolicyChanged => "token policy changed",
            AuditAction::Renewed => "renewed",
            AuditAction::AllowedIpsChanged => "allowed IP addresses changed",
            AuditAction::UserAdded => "user added",
            AuditAction::UserRoleChanged => "user's role changed",
            AuditAction::UserDisabled => "user disabled",
            AuditAction::UserEnabled => "user enabled",
            AuditAction::UserPasswordReset => "user's password reset",
            AuditAction::SecondFactorAdded => "authenticator app added",
            AuditAction::SecondFactorRemoved => "authenticator app removed",
            AuditAction::RecoveryCodeUsed => "recovery code used",
            AuditAction::RecoveryCodesRegenerated => "recovery codes regenerated",
            AuditAction::TwoFactorRuleChanged => "two-factor requirement changed",
            AuditAction::SecondFactorFailed => "right password, wrong code",
            AuditAction::PasskeyAdded => "passkey added",
            AuditAction::PasskeyRemoved => "passkey removed",
            AuditAction::SsoSettingsChanged => "single sign-on changed",
            AuditAction::SsoSignIn => "signed in with single sign-on",
            AuditAction::SsoUserCreated => "user added by single sign-on",
            AuditAction::BreakGlassSignIn => "break-glass sign-in",
            AuditAction::Exposed => "secret exposed",
            AuditAction::LimitsChanged => "limits changed",
            AuditAction::QuotaNearlySpent => "90 % of its quota used",
            AuditAction::QuotaSpent => "quota spent",
            AuditAction::BudgetCreated => "budget created",
            AuditAction::BudgetChanged => "budget changed",
            AuditAction::BudgetDeleted => "budget deleted",
            AuditAction::TokenCreationChanged => "token creation changed",
            AuditAction::RequestCreated => "token requested",
            AuditAction::RequestApproved => "token request approved",
            AuditAction::RequestDenied => "token request denied",
            AuditAction::RequestWithdrawn => "token request withdrawn",
            AuditAction::RequestClaimed => "approved token's secret shown",
            AuditAction::RequestExpired => "request expired unclaimed",
            AuditAction::WebhookAdded => "webhook endpoint added",
            AuditAction::WebhookSecretRotated => "webhook signing secret rotated",
            AuditAction::WebhookDisabled => "webhook endpoint disabled",
            AuditAction::WebhookEnabled => "webhook endpoint enabled",
            AuditAction::WebhookDeleted => "webhook endpoint deleted",
        }
    }
}

//! The signed-in user's own sign-in security (`/settings/security`): their authenticator
//! app and recovery codes. Every user may open it, also while the account's
//! **Require two-factor authentication** still holds them back.

mod confirm_app;
mod get_security;
mod passkeys;
mod regenerate_recovery_codes;
mod remove_app;
mod start_app_set_up;

pub use confirm_app::*;
pub use get_security::*;
pub use passkeys::*;
pub use regenerate_recovery_codes::*;
pub use remove_app::*;
pub use start_app_set_up::*;

use crate::domain::second_factor::TwoFactorRule;
use serde::{Deserialize, Serialize};

/// The user's second factors as the page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityOverview {
    /// Their authenticator app, if it is set up: when, and when a code was last accepted
    /// (both as shown, UTC).
    pub app: Option<AppFactor>,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// The account's rule.
    pub rule: TwoFactorRule,
    /// Whether the rule holds them back until they add a factor.
    pub must_add_factor: bool,
    /// Their passkeys, oldest first.
    pub passkeys: Vec<PasskeySummary>,
    /// The origin passkeys work at; `None`: passkeys are off on this server.
    pub passkeys_at: Option<String>,
}

/// A passkey as the page lists it (times as shown, UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeySummary {
    pub id: i64,
    pub name: String,
    pub added: String,
    pub last_used: Option<String>,
}

/// A confirmed authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppFactor {
    pub added: String,
    pub last_used: Option<String>,
}

/// What the set-up shows: the key as a QR code and typed, in groups of four. Its `Debug`
/// leaves both out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppSetUp {
    /// The QR code (an SVG drawn on the server) of the `otpauth://` link.
    pub qr_svg: String,
    /// The key to type in, in groups of four.
    pub manual_key: String,
}

/// New recovery codes: shown once, never again. Its `Debug` says only how many.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

impl std::fmt::Debug for AppSetUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppSetUp(..)")
    }
}

impl std::fmt::Debug for RecoveryCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RecoveryCodes({} codes)", self.codes.len())
    }
}

/// The caller as the owner of their factors, and the state; a user still on a temporary
/// password changes it first (403).
#[cfg(feature = "ssr")]
async fn factor_owner() -> Result<(crate::domain::Actor, crate::ssr::state::AppState), AppError> {
    let (user, state) = crate::ssr::auth::current_user().await?;
    if user.must_change_password {
        return Err(AppError::Forbidden);
    }
    Ok((user, state))
}

#[cfg(feature = "ssr")]
fn owner(user: &crate::domain::Actor) -> crate::ssr::db::second_factors::Owner<'_> {
    crate::ssr::db::second_factors::Owner {
        account_id: user.account_id,
        user_id: user.user_id,
        name: &user.name,
        email: &user.email,
    }
}

#[cfg(feature = "ssr")]
use crate::error::AppError;

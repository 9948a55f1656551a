//! The account's users, as `/settings/users` lists them.

use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A user of the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagedUser {
    /// The user's key.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in email.
    pub email: String,
    pub role: Role,
    /// Whether an administrator disabled them.
    pub disabled: bool,
    /// Whether they have yet to replace a temporary password.
    pub temporary_password: bool,
    /// When they last signed in (`2026-11-29 21:30 UTC`), if ever.
    pub last_sign_in: Option<String>,
}

/// The list, and who is looking (an administrator's own row offers no **Disable**).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersOverview {
    /// Every user, active ones first.
    pub users: Vec<ManagedUser>,
    /// The caller's key.
    pub me: i64,
    /// The account's **Require two-factor authentication** rule.
    pub two_factor_rule: crate::domain::second_factor::TwoFactorRule,
    /// The account's single sign-on, if set up (never its secret).
    pub sso: Option<crate::domain::single_sign_on::SsoOverview>,
    /// The account's SID, for its single sign-on link.
    pub account_sid: String,
}

/// Every user of the caller's account; Account Administrators only.
#[server(endpoint = "list_users")]
pub async fn list_users() -> Result<UsersOverview, AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::user_admin};
    crate::ssr::response::respond(async {
        let (user, state) = auth::require(Permission::ManageUsers).await?;
        let rows = user_admin::list(&state.pool, user.account_id).await?;
        let users = rows
            .into_iter()
            .map(|row| {
                let role = row.role.parse::<Role>().map_err(|_| AppError::Internal)?;
                Ok(ManagedUser {
                    id: row.id,
                    name: row.name,
                    email: row.email,
                    role,
                    disabled: row.disabled_at.is_some(),
                    temporary_password: row.must_change_password,
                    last_sign_in: row.last_sign_in_at.map(crate::ssr::display_time),
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        let sso = crate::ssr::db::single_sign_on::config(&state.pool, user.account_id)
            .await?
            .map(|config| config.overview());
        Ok(UsersOverview {
            users,
            me: user.user_id,
            two_factor_rule: user.two_factor_rule,
            sso,
            account_sid: user.account_sid.to_string(),
        })
    })
    .await
}

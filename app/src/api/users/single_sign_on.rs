//! **Single sign-on**, set up by the account's Account Administrators on the Users page.

use crate::error::AppError;
use leptos::prelude::*;

/// Saves the caller's account's identity provider: its **Issuer URL**, the **Client ID**
/// and **Client secret** it issued for Tokensmith (empty: keep the saved one), **Create
/// users on first sign-in** with a default role, and **Require single sign-on** with the
/// break-glass administrator who may still use a password. Posted by a plain form;
/// Account Administrators only, with a recent proof (sudo mode); audited.
#[server(endpoint = "set_single_sign_on")]
pub async fn set_single_sign_on(
    #[server(default)] issuer: String,
    #[server(default)] client_id: String,
    #[server(default)] client_secret: String,
    #[server(default)] create_users: String,
    #[server(default)] default_role: String,
    #[server(default)] required: String,
    #[server(default)] break_glass: String,
) -> Result<(), AppError> {
    use crate::domain::single_sign_on::{
        parse_client_id, parse_client_secret, parse_issuer, SsoSettings,
    };
    use crate::domain::{Permission, Role};
    use crate::ssr::{auth, db::single_sign_on, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageUsers).await?;
        auth::require_recent_proof(&user)?;
        let settings = SsoSettings {
            issuer: parse_issuer(&issuer).map_err(AppError::Refused)?,
            client_id: parse_client_id(&client_id).map_err(AppError::Refused)?,
            client_secret: parse_client_secret(&client_secret).map_err(AppError::Refused)?,
            create_users: checked(&create_users),
            default_role: default_role
                .parse::<Role>()
                .map_err(|_| AppError::BadRequest("Choose the role of new users.".into()))?,
            required: checked(&required),
            break_glass_user_id: match break_glass.trim() {
                "" => None,
                id => Some(id.parse::<i64>().map_err(|_| {
                    AppError::BadRequest("Choose the break-glass administrator.".into())
                })?),
            },
        };
        single_sign_on::save(&state.pool, user.account_id, user.user_id, &settings, now()).await?;
        tracing::info!(account_id = user.account_id, "single sign-on saved");
        Ok(())
    })
    .await
}

/// **Turn off single sign-on**: passwords work again for everyone. Account Administrators
/// only, with a recent proof; audited. 404 if it was off.
#[server(endpoint = "remove_single_sign_on")]
pub async fn remove_single_sign_on() -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::single_sign_on, now};
    crate::ssr::response::respond(async {
        let (user, state) = auth::require(Permission::ManageUsers).await?;
        auth::require_recent_proof(&user)?;
        single_sign_on::remove(&state.pool, user.account_id, user.user_id, now()).await?;
        tracing::info!(account_id = user.account_id, "single sign-on turned off");
        Ok(())
    })
    .await
}

/// A checkbox's value: sent as `on` (or `true`) when ticked, absent otherwise.
#[cfg(feature = "ssr")]
fn checked(value: &str) -> bool {
    matches!(value.trim(), "on" | "true" | "1")
}

//! **Remove** the authenticator app.

use crate::error::AppError;
use leptos::prelude::*;

/// Removes the caller's authenticator app and recovery codes: sign-in asks for the
/// password alone again (unless the account requires a second factor: then they are led
/// to add one). Needs a recent proof (sudo mode); 404 without an app.
#[server(endpoint = "remove_app")]
pub async fn remove_app() -> Result<(), AppError> {
    use crate::ssr::db::second_factors;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async {
        let (user, state) = super::factor_owner().await?;
        auth::require_recent_proof(&user)?;
        second_factors::remove_totp(&state.pool, super::owner(&user), now()).await?;
        tracing::info!(user_id = user.user_id, "authenticator app removed");
        Ok(())
    })
    .await
}

//! The **Enable API access** switch.

use crate::error::AppError;
use leptos::prelude::*;

/// Turns API access for the caller's account on or off and returns the new state.
#[server(endpoint = "set_api_access")]
pub async fn set_api_access(enabled: bool) -> Result<bool, AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::accounts};
    crate::ssr::response::respond(async {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        accounts::set_api_access(&state.pool, user.account_id, enabled).await?;
        tracing::info!(
            user_id = user.user_id,
            account_id = user.account_id,
            enabled,
            "API access switched"
        );
        Ok(enabled)
    })
    .await
}

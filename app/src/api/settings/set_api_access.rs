//! The **Enable API access** switch.

use crate::error::AppError;
use leptos::prelude::*;

/// Turns API access for the caller's account on or off and returns the new state. A real
/// change is recorded as an audit event of the account, in the change's transaction.
#[server(endpoint = "set_api_access")]
pub async fn set_api_access(enabled: bool) -> Result<bool, AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::accounts, now};
    crate::ssr::response::respond(async {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        if enabled {
            auth::require_recent_proof(&user)?;
        }
        let changed =
            accounts::set_api_access(&state.pool, user.account_id, user.user_id, enabled, now())
                .await?;
        if changed {
            tracing::info!(
                user_id = user.user_id,
                account_id = user.account_id,
                enabled,
                "API access switched"
            );
        }
        Ok(enabled)
    })
    .await
}

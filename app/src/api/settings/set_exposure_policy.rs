//! The account's **When a token is exposed**, set by its Account Administrator.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets what a secret-scanning report of one of the account's secrets does: `policy` is
/// `revoke`, `disable` or `notify`. Posted by a plain form on the API page; only an
/// Account Administrator may, in sudo mode. Audited.
#[server(endpoint = "set_exposure_policy")]
pub async fn set_exposure_policy(#[server(default)] policy: String) -> Result<(), AppError> {
    use crate::domain::exposure::ExposurePolicy;
    use crate::domain::Permission;
    use crate::ssr::{auth, db::exposure, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::SetTokenPolicy).await?;
        auth::require_recent_proof(&user)?;
        let Some(policy) = ExposurePolicy::from_id(policy.trim()) else {
            return Err(AppError::BadRequest(
                "Choose what happens when a token is exposed: revoke, disable or notify."
                    .to_string(),
            ));
        };
        let actor = (user.account_id, user.user_id);
        if exposure::set_policy(&state.pool, actor, policy, now()).await? {
            tracing::info!(
                user_id = user.user_id,
                account_id = user.account_id,
                policy = policy.id(),
                "exposure policy changed"
            );
        }
        Ok(())
    })
    .await
}

//! **Require two-factor authentication**, set by the account's Account Administrators.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the caller's account's rule: `rule` is `off`, `token_managers` or `everyone`.
/// Users it covers who have no second factor are led to add one at their next page, and
/// can do nothing else first. Posted by a plain form on the Users page; Account
/// Administrators only, with a recent proof (sudo mode), and only once they have a second
/// factor themselves (422).
#[server(endpoint = "set_two_factor_rule")]
pub async fn set_two_factor_rule(#[server(default)] rule: String) -> Result<(), AppError> {
    use crate::domain::second_factor::TwoFactorRule;
    use crate::domain::Permission;
    use crate::ssr::{auth, db::two_factor_rule, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageUsers).await?;
        auth::require_recent_proof(&user)?;
        let rule = TwoFactorRule::from_id(&rule).ok_or_else(|| {
            AppError::BadRequest("Choose who must use two-factor authentication.".to_string())
        })?;
        if two_factor_rule::set(&state.pool, user.account_id, user.user_id, rule, now()).await? {
            tracing::info!(
                account_id = user.account_id,
                rule = rule.id(),
                "two-factor rule changed"
            );
        }
        Ok(())
    })
    .await
}

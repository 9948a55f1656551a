//! The account's token policy, set by its Account Administrator.

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the caller's account's token policy: `max_lifetime` is `""` (no maximum) or 30,
/// 60, 90, 180 or 365 days; `allow_never` only counts without a maximum. Existing tokens
/// keep their expiration (the API page lists those beyond the policy). Posted by a plain
/// form on the API page; only an Account Administrator may.
#[server(endpoint = "set_token_policy")]
pub async fn set_token_policy(
    #[server(default)] max_lifetime: String,
    #[server(default)] allow_never: bool,
) -> Result<(), AppError> {
    use crate::domain::expiration::TokenPolicy;
    use crate::domain::wizard::{Field, FieldError, Problem};
    use crate::domain::Permission;
    use crate::ssr::{auth, db::accounts, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::SetTokenPolicy).await?;
        auth::require_recent_proof(&user)?;
        let policy = TokenPolicy::from_form(&max_lifetime, allow_never).map_err(|problem| {
            AppError::Validation(vec![FieldError {
                field: Field::Expiration,
                problem: Problem::Expiration(problem),
            }])
        })?;
        if accounts::set_token_policy(&state.pool, user.account_id, user.user_id, policy, now())
            .await?
        {
            tracing::info!(
                user_id = user.user_id,
                account_id = user.account_id,
                "token policy changed"
            );
        }
        Ok(())
    })
    .await
}

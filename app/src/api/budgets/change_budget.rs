//! **Create budget**, **Save budget** and **Delete budget**: plain forms on the Budgets
//! page, for Account Administrators in sudo mode; each audited.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn limits_form(
    rate_requests: String,
    rate_per: String,
    quota_calls: String,
    quota_refill: String,
) -> crate::domain::limits::LimitsForm {
    crate::domain::limits::LimitsForm {
        rate_requests,
        rate_per,
        quota_calls,
        quota_refill,
    }
}

#[cfg(feature = "ssr")]
fn budget_id(id: &str) -> Result<i64, AppError> {
    id.trim()
        .parse()
        .map_err(|_| AppError::BadRequest("Name a budget by its number.".to_string()))
}

/// Creates a budget named `name` with a rate limit and/or a quota.
#[server(endpoint = "create_budget")]
pub async fn create_budget(
    #[server(default)] name: String,
    #[server(default)] rate_requests: String,
    #[server(default)] rate_per: String,
    #[server(default)] quota_calls: String,
    #[server(default)] quota_refill: String,
) -> Result<(), AppError> {
    use crate::domain::limits::read_budget;
    use crate::domain::Permission;
    use crate::ssr::{auth, db::budgets, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::SetTokenPolicy).await?;
        auth::require_recent_proof(&user)?;
        let form = limits_form(rate_requests, rate_per, quota_calls, quota_refill);
        let spec = read_budget(&name, &form).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let actor = (user.account_id, user.user_id);
        let id = budgets::create(&state.pool, actor, &spec, now()).await?;
        tracing::info!(user_id = user.user_id, budget_id = id, "budget created");
        Ok(())
    })
    .await
}

/// Sets budget `id`'s rate limit and/or quota; its tokens' next calls draw on them.
#[server(endpoint = "update_budget")]
pub async fn update_budget(
    #[server(default)] id: String,
    #[server(default)] rate_requests: String,
    #[server(default)] rate_per: String,
    #[server(default)] quota_calls: String,
    #[server(default)] quota_refill: String,
) -> Result<(), AppError> {
    use crate::domain::limits::read_limits;
    use crate::domain::Permission;
    use crate::ssr::{auth, db::budgets, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::SetTokenPolicy).await?;
        auth::require_recent_proof(&user)?;
        let id = budget_id(&id)?;
        let form = limits_form(rate_requests, rate_per, quota_calls, quota_refill);
        let limits = read_limits(&form).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let actor = (user.account_id, user.user_id);
        if budgets::update(&state.pool, actor, id, limits, now()).await? {
            tracing::info!(user_id = user.user_id, budget_id = id, "budget changed");
        }
        Ok(())
    })
    .await
}

/// Deletes budget `id`: its tokens keep their own limits only.
#[server(endpoint = "delete_budget")]
pub async fn delete_budget(#[server(default)] id: String) -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::budgets, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::SetTokenPolicy).await?;
        // Its tokens lose its limits: that lets them do more.
        auth::require_recent_proof(&user)?;
        let id = budget_id(&id)?;
        let actor = (user.account_id, user.user_id);
        budgets::delete(&state.pool, actor, id, now()).await?;
        tracing::info!(user_id = user.user_id, budget_id = id, "budget deleted");
        Ok(())
    })
    .await
}

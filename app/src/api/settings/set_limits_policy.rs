//! The account's **Limits for new tokens**, set by its Account Administrator.
// Eight plain form fields, as the API page's form names them (also in the client stub
// the macro writes).
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;

/// Sets the limits the wizard starts a new token with (`default_…`) and the highest any
/// token may have (`max_…`): each a number (empty: none) and its period or refill, as the
/// token's own Limits fields take them. Posted by a plain form on the API page; only an
/// Account Administrator may, in sudo mode. Defaults above the ceiling are refused.
/// Audited.
#[server(endpoint = "set_limits_policy")]
pub async fn set_limits_policy(
    #[server(default)] default_rate_requests: String,
    #[server(default)] default_rate_per: String,
    #[server(default)] default_quota_calls: String,
    #[server(default)] default_quota_refill: String,
    #[server(default)] max_rate_requests: String,
    #[server(default)] max_rate_per: String,
    #[server(default)] max_quota_calls: String,
    #[server(default)] max_quota_refill: String,
) -> Result<(), AppError> {
    use crate::domain::limits::{Limits, LimitsForm, LimitsPolicy};
    use crate::domain::Permission;
    use crate::ssr::{auth, db::limits_policy, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::SetTokenPolicy).await?;
        auth::require_recent_proof(&user)?;
        let read = |form: LimitsForm, what: &str| -> Result<Limits, AppError> {
            let rate = form.rate();
            let quota = form.quota();
            match (rate, quota) {
                (Ok(rate), Ok(quota)) => Ok(Limits { rate, quota }),
                (Err(problem), _) | (_, Err(problem)) => {
                    Err(AppError::BadRequest(format!("{what}: {problem}")))
                }
            }
        };
        let defaults = read(
            LimitsForm {
                rate_requests: default_rate_requests,
                rate_per: default_rate_per,
                quota_calls: default_quota_calls,
                quota_refill: default_quota_refill,
            },
            "Default limits",
        )?;
        let ceiling = read(
            LimitsForm {
                rate_requests: max_rate_requests,
                rate_per: max_rate_per,
                quota_calls: max_quota_calls,
                quota_refill: max_quota_refill,
            },
            "Highest limits",
        )?;
        let policy = LimitsPolicy { defaults, ceiling };
        if let Err(breach) = policy.check(&defaults) {
            let problem = breach.rate.or(breach.quota).map(|p| p.to_string());
            return Err(AppError::BadRequest(format!(
                "Default limits: {}",
                problem.unwrap_or_default()
            )));
        }
        let actor = (user.account_id, user.user_id);
        if limits_policy::set(&state.pool, actor, policy, now()).await? {
            tracing::info!(
                user_id = user.user_id,
                account_id = user.account_id,
                "limits policy changed"
            );
        }
        Ok(())
    })
    .await
}

//! What can be done to a request: **Approve** (narrowing only) and **Deny** with a reason
//! (Account Administrators), **Withdraw** while pending and, once approved, see the
//! token's secret once (its requester).

use super::super::tokens::CreatedToken;
use crate::domain::token_request::Narrowing;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// **Approve** request `id`, narrowed as `narrowing` says (never wider than asked):
/// the token is minted now and its secret waits for the requester. `Validation` (422)
/// names what would widen; `Conflict` (409) if it was decided meanwhile.
#[server(endpoint = "approve_request", input = Json)]
pub async fn approve_request(id: i64, narrowing: Narrowing) -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::token_requests::{self, Decision};
    use crate::ssr::db::tokens::StoredCredentials;
    use crate::ssr::{auth, credentials, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::DecideRequests).await?;
        auth::require_recent_proof(&user)?;
        // A secret nobody is shown: the requester's claim replaces it.
        let unknown = credentials::generate()?;
        let hash = credentials::hash_secret(&unknown.secret);
        let decision = Decision::Approve {
            narrowing: &narrowing,
            credentials: StoredCredentials {
                sid: &unknown.sid,
                secret_hash: &hash,
                secret_last4: "····",
            },
        };
        token_requests::decide(&state.pool, &user, id, decision, now()).await?;
        tracing::info!(
            user_id = user.user_id,
            request = id,
            "token request approved"
        );
        Ok(())
    })
    .await
}

/// **Deny** request `id` with a required **Reason**.
#[server(endpoint = "deny_request")]
pub async fn deny_request(
    #[server(default)] id: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::domain::token_request;
    use crate::domain::wizard::{Field, FieldError, Problem};
    use crate::domain::Permission;
    use crate::ssr::db::token_requests::{self, Decision};
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::DecideRequests).await?;
        let id = super::request_id(&id)?;
        let reason = token_request::reason(&reason).map_err(|problem| {
            AppError::Validation(vec![FieldError {
                field: Field::Reason,
                problem: Problem::Reason(problem),
            }])
        })?;
        let decision = Decision::Deny { reason: &reason };
        token_requests::decide(&state.pool, &user, id, decision, now()).await?;
        tracing::info!(user_id = user.user_id, request = id, "token request denied");
        Ok(())
    })
    .await
}

/// **Withdraw** request `id` (its requester's, while pending).
#[server(endpoint = "withdraw_request")]
pub async fn withdraw_request(#[server(default)] id: String) -> Result<(), AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::token_requests;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        let id = super::request_id(&id)?;
        token_requests::withdraw(&state.pool, &user, id, now()).await?;
        tracing::info!(
            user_id = user.user_id,
            request = id,
            "token request withdrawn"
        );
        Ok(())
    })
    .await
}

/// The approved token of request `id` with a new secret, shown this once to its requester
/// (in sudo mode); `Conflict` (409) if it was shown already, or expired.
#[server(endpoint = "claim_request", input = Json)]
pub async fn claim_request(id: i64) -> Result<CreatedToken, AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::token_requests;
    use crate::ssr::db::tokens::StoredCredentials;
    use crate::ssr::{auth, credentials, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        auth::require_recent_proof(&user)?;
        let new = credentials::generate()?;
        let hash = credentials::hash_secret(&new.secret);
        let stored = StoredCredentials {
            sid: &new.sid,
            secret_hash: &hash,
            secret_last4: new.secret.last4(),
        };
        let (name, sid) = token_requests::claim(&state.pool, &user, id, stored, now()).await?;
        tracing::info!(user_id = user.user_id, request = id, %sid, "approved token's secret shown");
        Ok(CreatedToken {
            name,
            sid,
            secret: new.secret.expose().to_string(),
        })
    })
    .await
}

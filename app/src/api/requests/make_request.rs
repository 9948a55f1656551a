//! **Token creation** (the account policy) and **Request token** (the wizard's end when
//! it needs approval).

use crate::domain::wizard::Draft;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// Sets the account's **Token creation**: `directly` or `needs_approval` (an Account
/// Administrator's, in sudo mode; audited). Posted by a plain form on the API page.
#[server(endpoint = "set_token_creation")]
pub async fn set_token_creation(#[server(default)] creation: String) -> Result<(), AppError> {
    use crate::domain::token_request::TokenCreation;
    use crate::domain::Permission;
    use crate::ssr::db::token_requests;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::SetTokenPolicy).await?;
        auth::require_recent_proof(&user)?;
        let creation = TokenCreation::from_id(creation.trim()).ok_or_else(|| {
            AppError::BadRequest("Choose Directly or Needs approval.".to_string())
        })?;
        if token_requests::set_token_creation(&state.pool, &user, creation, now()).await? {
            tracing::info!(
                user_id = user.user_id,
                creation = creation.id(),
                "token creation changed"
            );
        }
        Ok(())
    })
    .await
}

/// The request made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MadeRequest {
    /// Its number, for `/settings/api/requests/{id}`.
    pub id: i64,
}

/// **Request token**: the wizard's complete draft and a **Reason**; checked as **Create**
/// checks a token, and nothing is minted. `Validation` (422) and `FieldConflict` (409)
/// name the fields to fix (`Reason` among them).
#[server(endpoint = "request_token", input = Json)]
pub async fn request_token(draft: Draft, reason: String) -> Result<MadeRequest, AppError> {
    use crate::domain::token_request;
    use crate::domain::wizard::{Field, FieldError, Problem};
    use crate::domain::Permission;
    use crate::ssr::db::token_requests;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        let token = draft.validate();
        let reason = token_request::reason(&reason);
        let (token, reason) = match (token, reason) {
            (Ok(token), Ok(reason)) => (token, reason),
            (token, reason) => {
                let mut errors = token.err().unwrap_or_default();
                if let Err(problem) = reason {
                    errors.push(FieldError {
                        field: Field::Reason,
                        problem: Problem::Reason(problem),
                    });
                }
                return Err(AppError::Validation(errors));
            }
        };
        let id =
            token_requests::create(&state.pool, &user, (&draft, &token), &reason, now()).await?;
        tracing::info!(user_id = user.user_id, request = id, "token requested");
        Ok(MadeRequest { id })
    })
    .await
}

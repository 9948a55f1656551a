//! **Create**: validates the whole wizard draft again and issues a token.

use crate::domain::wizard::Draft;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// The new token's credentials: the only time the secret leaves the server.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedToken {
    /// The token's name.
    pub name: String,
    /// **Token SID**.
    pub sid: String,
    /// **Auth Token** (the secret).
    pub secret: String,
}

impl std::fmt::Debug for CreatedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedToken")
            .field("name", &self.name)
            .field("sid", &self.sid)
            .finish_non_exhaustive()
    }
}

/// Creates a token from a complete draft; `Validation` (422) or `FieldConflict` (409)
/// name the fields to fix.
#[server(endpoint = "create_token", input = Json)]
pub async fn create_token(draft: Draft) -> Result<CreatedToken, AppError> {
    use crate::domain::Permission;
    use crate::ssr::db::tokens;
    use crate::ssr::{auth, credentials, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        auth::require_recent_proof(&user)?;
        let token = draft.validate().map_err(AppError::Validation)?;
        let new = credentials::generate()?;
        let hash = credentials::hash_secret(&new.secret);
        let stored = tokens::StoredCredentials {
            sid: &new.sid,
            secret_hash: &hash,
            secret_last4: new.secret.last4(),
        };
        tokens::create(&state.pool, &user, &token, stored, now()).await?;
        tracing::info!(user_id = user.user_id, sid = %new.sid, "token created");
        Ok(CreatedToken {
            name: token.name.to_string(),
            sid: new.sid.to_string(),
            secret: new.secret.expose().to_string(),
        })
    })
    .await
}

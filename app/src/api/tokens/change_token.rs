//! Every edit and action of the token detail page: one change at a time, refused when the
//! page was showing an older revision of the token.

use crate::domain::TokenChange;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// What a change returns.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeOutcome {
    /// The token's revision after the change.
    pub version: i64,
    /// After **Reset** only: the new secret, shown once.
    pub secret: Option<String>,
    /// After **Delete**: the token is gone.
    pub deleted: bool,
}

impl std::fmt::Debug for ChangeOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeOutcome")
            .field("version", &self.version)
            .field("deleted", &self.deleted)
            .finish_non_exhaustive()
    }
}

/// Applies `change` to the token `sid` of the caller's account, if it is still at
/// `version`: a stale page gets `Conflict` (409), another account's SID `NotFound`.
#[server(endpoint = "change_token", input = Json)]
pub async fn change_token(
    sid: String,
    version: i64,
    change: TokenChange,
) -> Result<ChangeOutcome, AppError> {
    use crate::domain::{Permission, TokenSid, ValidChange};
    use crate::ssr::db::{token_changes, tokens::StoredCredentials};
    use crate::ssr::{auth, credentials, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        let sid = TokenSid::parse(&sid).map_err(|_| AppError::NotFound)?;
        let change = change.validate().map_err(AppError::Validation)?;
        if change.needs_recent_proof() {
            auth::require_recent_proof(&user)?;
        }
        let fresh = match change {
            ValidChange::Reset { .. } => Some(credentials::generate()?),
            _ => None,
        };
        let hash = fresh.as_ref().map(|f| credentials::hash_secret(&f.secret));
        let new_secret = fresh
            .as_ref()
            .zip(hash.as_ref())
            .map(|(f, hash)| StoredCredentials {
                sid: &sid,
                secret_hash: hash,
                secret_last4: f.secret.last4(),
            });
        let request = token_changes::ChangeRequest {
            sid: &sid,
            seen_version: version,
            change: &change,
            new_secret,
            now: now(),
        };
        let deleted = matches!(change, ValidChange::Delete);
        let action = change.action().id();
        let version = token_changes::apply(&state.pool, &user, request).await?;
        // The kind of change only: names, descriptions and email addresses stay out of logs.
        tracing::info!(user_id = user.user_id, %sid, action, "token changed");
        Ok(ChangeOutcome {
            version,
            secret: fresh.map(|f| f.secret.expose().to_string()),
            deleted,
        })
    })
    .await
}

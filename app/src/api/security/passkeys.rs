//! **Rename** and **Remove** a passkey (adding one is a ceremony: `POST /login/passkeys/options`
//! and `/login/passkeys/answer`).

use crate::error::AppError;
use leptos::prelude::*;

/// Renames one of the caller's passkeys: 1 to 64 characters (422 otherwise); 404 if it
/// isn't theirs.
#[server(endpoint = "rename_passkey")]
pub async fn rename_passkey(id: i64, name: String) -> Result<(), AppError> {
    use crate::domain::passkey::PasskeyName;
    use crate::ssr::db::passkeys;
    crate::ssr::response::respond(async {
        let (user, state) = super::factor_owner().await?;
        let name = PasskeyName::parse(&name).map_err(|e| AppError::Refused(e.to_string()))?;
        passkeys::rename(&state.pool, user.user_id, id, &name).await
    })
    .await
}

/// Removes one of the caller's passkeys (with their last factor go their recovery codes).
/// Needs a recent proof (sudo mode); 404 if it isn't theirs.
#[server(endpoint = "remove_passkey")]
pub async fn remove_passkey(id: i64) -> Result<(), AppError> {
    use crate::ssr::db::passkeys;
    use crate::ssr::{auth, now};
    crate::ssr::response::respond(async {
        let (user, state) = super::factor_owner().await?;
        auth::require_recent_proof(&user)?;
        passkeys::remove(&state.pool, super::owner(&user), id, now()).await?;
        tracing::info!(user_id = user.user_id, "passkey removed");
        Ok(())
    })
    .await
}

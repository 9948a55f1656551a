//! **Add user**: a new user of the account, with a temporary password shown once.

use crate::domain::user_admin::NewUser;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// A temporary password, shown once: the user must change it when they first sign in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemporaryPassword {
    /// Who it is for ("name <email>").
    pub user: String,
    /// The password itself.
    pub password: String,
}

impl std::fmt::Debug for TemporaryPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemporaryPassword")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Adds a user to the caller's account (Account Administrators only), audited. The
/// answer carries the temporary password; only its hash is stored.
#[server(endpoint = "add_user", input = Json)]
pub async fn add_user(user: NewUser) -> Result<TemporaryPassword, AppError> {
    use crate::domain::{contact_label, Permission};
    use crate::ssr::{auth, db::user_admin, now};
    crate::ssr::response::respond(async move {
        let (admin, state) = auth::require(Permission::ManageUsers).await?;
        auth::require_recent_proof(&admin)?;
        let valid = user.validate().map_err(AppError::UserFields)?;
        let (password, hash) = crate::ssr::password::temporary(&state).await?;
        let id = user_admin::add(
            &state.pool,
            admin.account_id,
            Some(admin.user_id),
            &valid,
            &hash,
            now(),
        )
        .await?;
        tracing::info!(
            by = admin.user_id,
            user_id = id,
            role = valid.role.id(),
            "user added"
        );
        Ok(TemporaryPassword {
            user: contact_label(valid.name.as_str(), valid.email.as_str()),
            password,
        })
    })
    .await
}

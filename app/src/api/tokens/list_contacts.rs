//! The users of the caller's account, for the **Primary Contact** drop-down.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A user who can be a token's primary contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The user's id.
    pub id: i64,
    /// Display name.
    pub name: String,
    pub email: String,
}

impl Contact {
    /// "name <email>", as the drop-down shows it.
    pub fn label(&self) -> String {
        crate::domain::contact_label(&self.name, &self.email)
    }
}

/// The account's users; only the roles that manage tokens may ask.
#[server(endpoint = "list_contacts")]
pub async fn list_contacts() -> Result<Vec<Contact>, AppError> {
    use crate::domain::Permission;
    use crate::ssr::auth;
    crate::ssr::response::respond(async {
        let (user, state) = auth::require(Permission::ManageTokens).await?;
        account_contacts(&state.pool, user.account_id).await
    })
    .await
}

/// The account's active users, who may be a token's primary contact.
#[cfg(feature = "ssr")]
pub(super) async fn account_contacts(
    pool: &crate::ssr::db::Db,
    account_id: i64,
) -> Result<Vec<Contact>, AppError> {
    Ok(crate::ssr::db::users::list_for_account(pool, account_id)
        .await?
        .into_iter()
        .map(|row| Contact {
            id: row.id,
            name: row.name,
            email: row.email,
        })
        .collect())
}

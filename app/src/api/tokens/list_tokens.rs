//! The account's tokens as cards on the API settings page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One token card. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCard {
    /// SID.
    pub sid: String,
    /// Name.
    pub name: String,
    /// Description (may be empty).
    pub description: String,
    /// API version.
    pub api_version: i64,
    /// Enabled or disabled.
    pub enabled: bool,
    /// How many scopes.
    pub scope_count: i64,
    /// "name <email>".
    pub primary_contact: String,
    /// Who created it.
    pub created_by: String,
    /// When, as shown.
    pub created_at: String,
    /// When last used, as shown; `None`: never.
    pub last_used_at: Option<String>,
}

/// The caller's account's live tokens, newest first.
#[server(endpoint = "list_tokens")]
pub async fn list_tokens() -> Result<Vec<TokenCard>, AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::tokens, display_time};
    crate::ssr::response::respond(async {
        let (user, state) = auth::require(Permission::ViewApiSettings).await?;
        let rows = tokens::list(&state.pool, user.account_id).await?;
        Ok(rows
            .into_iter()
            .map(|row| TokenCard {
                sid: row.sid,
                name: row.name,
                description: row.description,
                api_version: row.api_version,
                enabled: row.enabled,
                scope_count: row.scope_count,
                primary_contact: format!("{} <{}>", row.contact_name, row.contact_email),
                created_by: row.created_by,
                created_at: display_time(row.created_at),
                last_used_at: row.last_used_at.map(display_time),
            })
            .collect())
    })
    .await
}

//! The account's tokens as cards on the API settings page, filtered as the URL says.

use crate::domain::token_filter::TokenFilter;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
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

/// The cards that pass the filters, and how many live tokens the account has in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCards {
    /// Matching tokens, newest first.
    pub cards: Vec<TokenCard>,
    /// Live tokens of the account, filtered or not.
    pub total: usize,
}

/// The caller's account's live tokens that pass `filter`, newest first.
#[server(endpoint = "list_tokens", input = Json)]
pub async fn list_tokens(filter: TokenFilter) -> Result<TokenCards, AppError> {
    use crate::domain::Permission;
    use crate::ssr::{auth, db::tokens, display_time, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ViewApiSettings).await?;
        let rows = tokens::list(&state.pool, user.account_id).await?;
        let total = rows.len();
        let now = now();
        let cards = rows
            .into_iter()
            .filter(|row| filter.matches(&row.name, row.created_at, row.enabled, now))
            .map(|row| TokenCard {
                sid: row.sid,
                name: row.name,
                description: row.description,
                api_version: row.api_version,
                enabled: row.enabled,
                scope_count: row.scope_count,
                primary_contact: crate::domain::contact_label(
                    &row.contact_name,
                    &row.contact_email,
                ),
                created_by: row.created_by,
                created_at: display_time(row.created_at),
                last_used_at: row.last_used_at.map(display_time),
            })
            .collect();
        Ok(TokenCards { cards, total })
    })
    .await
}

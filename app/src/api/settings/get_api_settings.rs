//! Reads the API settings page's account-level data.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the API settings page shows about the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiSettings {
    /// The account's public identifier.
    pub account_sid: String,
    /// Whether the account's tokens may authenticate at all.
    pub api_access_enabled: bool,
    /// The account's token policy (what **Expiration** may offer).
    pub token_policy: crate::domain::expiration::TokenPolicy,
}

/// The caller's account's API settings; Analyst and Finance get `Forbidden`.
#[server(endpoint = "api_settings")]
pub async fn get_api_settings() -> Result<ApiSettings, AppError> {
    use crate::domain::Permission;
    use crate::ssr::auth;
    crate::ssr::response::respond(async {
        // The session's lookup reads the account too: nothing more to ask the database.
        let (user, _) = auth::require(Permission::ViewApiSettings).await?;
        Ok(ApiSettings {
            account_sid: user.account_sid.as_str().to_string(),
            api_access_enabled: user.api_access_enabled,
            token_policy: user.token_policy,
        })
    })
    .await
}

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
    /// Whether the caller may change the policy (Account Administrators).
    pub can_set_policy: bool,
    /// The account's **When a token is exposed**.
    pub exposure_policy: crate::domain::exposure::ExposurePolicy,
    /// The account's **Limits for new tokens**.
    pub limits_policy: crate::domain::limits::LimitsPolicy,
    /// The account's **Token creation**.
    pub token_creation: crate::domain::token_request::TokenCreation,
    /// Whether the caller creates tokens directly (else **Request token**).
    pub creates_directly: bool,
    /// Pending requests the caller sees (all for an administrator, their own otherwise).
    pub pending_requests: i64,
    /// Live tokens made before the policy that outlive it (at most 50), newest first.
    pub beyond_policy: Vec<BeyondPolicy>,
}

/// A token that outlives the account's policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeyondPolicy {
    pub sid: String,
    pub name: String,
    /// When it expires.
    pub expiry: crate::api::tokens::Expiry,
}

/// The caller's account's API settings; Analyst and Finance get `Forbidden`.
#[server(endpoint = "api_settings")]
pub async fn get_api_settings() -> Result<ApiSettings, AppError> {
    use crate::domain::expiration::TokenPolicy;
    use crate::domain::token_request::TokenCreation;
    use crate::domain::Permission;
    use crate::ssr::db::token_requests;
    use crate::ssr::{auth, db::accounts, now};
    crate::ssr::response::respond(async {
        // The session's lookup reads the account too: nothing more to ask the database
        // but the pending requests' count, and if a policy restricts lifetimes, which
        // tokens outlive it.
        let (user, state) = auth::require(Permission::ViewApiSettings).await?;
        let policy = user.token_policy;
        let beyond_policy = if policy == TokenPolicy::default() {
            Vec::new()
        } else {
            let now = now();
            accounts::beyond_policy(&state.pool, user.account_id, policy, now, 50)
                .await?
                .into_iter()
                .map(|row| BeyondPolicy {
                    sid: row.sid,
                    name: row.name,
                    expiry: crate::api::tokens::Expiry::new(row.expires_at, now),
                })
                .collect()
        };
        let own = (user.role != crate::domain::Role::AccountAdmin).then_some(user.user_id);
        let pending_requests =
            token_requests::pending_count(&state.pool, user.account_id, own).await?;
        let creation = user.token_creation;
        Ok(ApiSettings {
            token_creation: creation,
            creates_directly: creation == TokenCreation::Directly
                || user.role == crate::domain::Role::AccountAdmin,
            pending_requests,
            account_sid: user.account_sid.as_str().to_string(),
            api_access_enabled: user.api_access_enabled,
            token_policy: policy,
            can_set_policy: user.role.allows(Permission::SetTokenPolicy),
            exposure_policy: user.exposure_policy,
            limits_policy: user.limits_policy,
            beyond_policy,
        })
    })
    .await
}

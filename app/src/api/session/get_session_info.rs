//! Who is signed in, for the header of every signed-in page.

use crate::domain::{AccountSid, Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user and their account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The user's display name.
    pub user_name: String,
    /// The user's role.
    pub role: Role,
    /// The account's name.
    pub account_name: String,
    /// The account's SID.
    pub account_sid: AccountSid,
    /// The user's key, which keeps their wizard draft apart from other users' on a shared
    /// browser.
    pub user_id: i64,
    /// Whether they signed in with a temporary password they must change first.
    pub must_change_password: bool,
    /// Whether the account requires a second factor they have not added yet.
    pub must_add_second_factor: bool,
}

/// The signed-in user; `Unauthorized` when nobody is.
#[server(endpoint = "session_info")]
pub async fn get_session_info() -> Result<SessionInfo, AppError> {
    crate::ssr::response::respond(async {
        let (user, _) = crate::ssr::auth::current_user().await?;
        let must_add_second_factor = user.must_add_second_factor();
        Ok(SessionInfo {
            user_name: user.name,
            role: user.role,
            account_name: user.account_name,
            account_sid: user.account_sid,
            user_id: user.user_id,
            must_change_password: user.must_change_password,
            must_add_second_factor,
        })
    })
    .await
}

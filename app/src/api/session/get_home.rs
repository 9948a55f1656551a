//! What the home page shows: who you are, and who in the account manages API tokens.

use crate::domain::{AccountSid, Role};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A user of the account others can ask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colleague {
    /// Display name.
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// The home page's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeInfo {
    /// The user's name.
    pub name: String,
    /// Their sign-in email.
    pub email: String,
    /// Their role.
    pub role: Role,
    /// The account's name.
    pub account_name: String,
    /// The account's SID.
    pub account_sid: AccountSid,
    /// The account's active Account Administrators, then Implementation Specialists.
    pub token_managers: Vec<Colleague>,
}

/// The signed-in user and the people who manage the account's API tokens; every role may
/// ask, once they have chosen their own password and added a second factor the account
/// requires (403 before).
#[server(endpoint = "home")]
pub async fn get_home() -> Result<HomeInfo, AppError> {
    use crate::ssr::{auth, db::user_admin};
    crate::ssr::response::respond(async {
        let (user, state) = auth::current_user().await?;
        if user.is_held_back() {
            return Err(AppError::Forbidden);
        }
        let mut token_managers = Vec::new();
        for role in [Role::AccountAdmin, Role::ImplementationSpecialist] {
            let people = user_admin::active_with_role(&state.pool, user.account_id, role).await?;
            token_managers.extend(people.into_iter().map(|(name, email)| Colleague {
                name,
                email,
                role,
            }));
        }
        Ok(HomeInfo {
            name: user.name,
            email: user.email,
            role: user.role,
            account_name: user.account_name,
            account_sid: user.account_sid,
            token_managers,
        })
    })
    .await
}

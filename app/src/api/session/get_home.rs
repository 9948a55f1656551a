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
    /// For those who manage tokens: the account's exposed tokens, most recently reported
    /// first (at most [`EXPOSED_SHOWN`]).
    pub exposed: Vec<ExposedToken>,
}

/// The most exposed tokens the home page lists (the list's **Exposed** filter has them all).
pub const EXPOSED_SHOWN: u32 = 10;

/// An exposed token on the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposedToken {
    pub sid: String,
    pub name: String,
    pub exposure: crate::api::tokens::Exposure,
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
        let exposed = if user.role.allows(crate::domain::Permission::ManageTokens) {
            exposed_tokens(&state.pool, user.account_id).await?
        } else {
            Vec::new()
        };
        Ok(HomeInfo {
            exposed,
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

/// The account's exposed tokens, for the home page.
#[cfg(feature = "ssr")]
async fn exposed_tokens(
    pool: &crate::ssr::db::Db,
    account_id: i64,
) -> Result<Vec<ExposedToken>, AppError> {
    use crate::ssr::db::exposure;
    let rows = exposure::exposed_tokens(pool, account_id, EXPOSED_SHOWN).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            let exposure = crate::api::tokens::Exposure::new(
                row.exposed_at,
                row.exposed_url,
                row.exposed_by.as_deref(),
            )?;
            Some(ExposedToken {
                sid: row.sid,
                name: row.name,
                exposure,
            })
        })
        .collect())
}

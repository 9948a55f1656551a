//! What the home page shows: who you are, who in the account manages API tokens, and for
//! those who manage them, what needs attention and the latest activity.

use crate::api::activity::ActivityEvent;
use crate::domain::token_filter::StateFilter;
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
    /// For those who manage tokens: each of [`crate::domain::attention::ITEMS`] with its
    /// count and first tokens.
    pub attention: Vec<Attention>,
    /// For those who see API settings: pending token requests (an administrator's: all of
    /// the account's; anyone else's: their own).
    pub pending_requests: Option<i64>,
    /// Whether the account's API access is on.
    pub api_access_enabled: bool,
    /// For those who may read Activity: its latest events, newest first.
    pub recent: Option<Vec<ActivityEvent>>,
}

/// How many events of Activity home shows.
pub const RECENT_SHOWN: u32 = 10;

/// One item of **Needs attention**.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    /// The token list's filter the item is.
    pub item: StateFilter,
    /// How many tokens it has.
    pub count: u64,
    /// The first of them (SID, name), newest first.
    pub tokens: Vec<(String, String)>,
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
        use crate::domain::Permission;
        let manages = user.role.allows(Permission::ManageTokens);
        let (exposed, attention) = if manages {
            (
                exposed_tokens(&state.pool, user.account_id).await?,
                attention(&state.pool, user.account_id).await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        let pending_requests = if user.role.allows(Permission::ViewApiSettings) {
            let own = (user.role != Role::AccountAdmin).then_some(user.user_id);
            let db = &state.pool;
            Some(crate::ssr::db::token_requests::pending_count(db, user.account_id, own).await?)
        } else {
            None
        };
        let recent = if user.role.allows(Permission::ViewActivity) {
            Some(recent_activity(&state.pool, user.account_id).await?)
        } else {
            None
        };
        Ok(HomeInfo {
            exposed,
            attention,
            pending_requests,
            api_access_enabled: user.api_access_enabled,
            recent,
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

/// Each item of **Needs attention**: the list's own count and first page, so the numbers
/// are the list's.
#[cfg(feature = "ssr")]
async fn attention(pool: &crate::ssr::db::Db, account_id: i64) -> Result<Vec<Attention>, AppError> {
    use crate::domain::attention::{ITEMS, NAMED};
    use crate::domain::token_filter::TokenFilter;
    use crate::ssr::db::tokens::{self, ListFilter};
    let now = crate::ssr::now();
    // The list's own condition for each item, counted in one pass over the account's tokens.
    let states = ITEMS.map(|item| item.matches().unwrap_or_default());
    let counts = tokens::count_each(pool, account_id, states, now).await?;
    let mut items = Vec::new();
    for (item, count) in ITEMS.into_iter().zip(counts) {
        let tokens = if count == 0 {
            Vec::new()
        } else {
            let filter = ListFilter::new(
                &TokenFilter {
                    state: item,
                    ..TokenFilter::default()
                },
                now,
            );
            tokens::list_page(pool, account_id, &filter, 0, NAMED)
                .await?
                .into_iter()
                .map(|row| (row.sid, row.name))
                .collect()
        };
        items.push(Attention {
            item,
            count,
            tokens,
        });
    }
    Ok(items)
}

/// The latest events of the account's Activity.
#[cfg(feature = "ssr")]
async fn recent_activity(
    pool: &crate::ssr::db::Db,
    account_id: i64,
) -> Result<Vec<ActivityEvent>, AppError> {
    use crate::domain::activity::ActivityFilter;
    use crate::ssr::db::activity;
    let page = activity::page(
        pool,
        account_id,
        &ActivityFilter::default(),
        None,
        RECENT_SHOWN,
    )
    .await?;
    Ok(page.rows.into_iter().map(ActivityEvent::from_row).collect())
}

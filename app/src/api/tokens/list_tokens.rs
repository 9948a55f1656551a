//! The account's tokens as cards on the API settings page, filtered and paged as the URL
//! says; SQL does both, so a page costs the same at 100 tokens as at 10,000.

use crate::domain::paging::Page;
#[cfg(doc)]
use crate::domain::paging::PAGE_SIZE;
use crate::domain::token_filter::TokenFilter;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// One token card. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCard {
    pub sid: String,
    pub name: String,
    /// Description (may be empty).
    pub description: String,
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
    /// When it expires.
    pub expiry: Expiry,
    /// A secret of it reported exposed (until a Reset).
    pub exposure: Option<Exposure>,
}

/// A secret reported exposed, as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    /// When it was reported, in words (UTC).
    pub at: String,
    /// Where it was found, as the reporter said.
    pub url: Option<String>,
    /// Whether the URL is shown as a link: only an `https://` URL from a signed GitHub
    /// report (anyone can send a public report, with any URL).
    pub link: bool,
    /// Who reported it, in words.
    pub reporter: String,
}

impl Exposure {
    /// The exposure stored as `at`, `url` and `by`; `None` when there is none.
    pub fn new(at: Option<i64>, url: Option<String>, by: Option<&str>) -> Option<Self> {
        use crate::domain::exposure::{is_linkable, Reporter};
        let at = at?;
        let reporter = Reporter::from_stored(by.unwrap_or("report"));
        Some(Self {
            at: crate::domain::expiration::format_instant(at),
            link: reporter.is_verified() && url.as_deref().is_some_and(is_linkable),
            url,
            reporter: reporter.label(),
        })
    }
}

/// When a token expires, as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expiry {
    /// "Expires in 12 days", "Expired on 2027-01-15", "Never expires".
    pub label: String,
    /// Whether it has expired.
    pub expired: bool,
    /// The instant, RFC 3339 UTC (`None`: never), for `<time datetime>`.
    pub datetime: Option<String>,
    /// The instant in words, UTC, for the hover title.
    pub exact: Option<String>,
}

impl Expiry {
    /// The expiry `expires_at` as of `now`.
    pub fn new(expires_at: Option<i64>, now: i64) -> Self {
        use crate::domain::expiration::{expiry_label, format_date, format_instant, is_expired};
        Self {
            label: expiry_label(expires_at, now),
            expired: is_expired(expires_at, now),
            datetime: expires_at.map(|at| {
                let time = format_instant(at);
                let clock = time.split(' ').nth(1).unwrap_or("00:00");
                format!("{}T{clock}:00Z", format_date(at))
            }),
            exact: expires_at.map(format_instant),
        }
    }
}

/// One page of the cards that pass the filters, and how many there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenCards {
    /// This page's matching tokens, newest first.
    pub cards: Vec<TokenCard>,
    /// Live tokens of the account, filtered or not.
    pub total: u64,
    /// The page shown (past the end: the last) out of how many, over the matching tokens.
    pub page: Page,
}

/// One page (of [`PAGE_SIZE`]) of the caller's account's live tokens that pass `filter`,
/// newest first; a page past the end shows the last.
#[server(endpoint = "list_tokens", input = Json)]
pub async fn list_tokens(
    filter: TokenFilter,
    #[server(default)] page: u32,
) -> Result<TokenCards, AppError> {
    use crate::domain::paging::PAGE_SIZE;
    use crate::ssr::db::tokens::{self, ListFilter};
    use crate::ssr::{auth, display_time, now};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(crate::domain::Permission::ViewApiSettings).await?;
        let now = now();
        let sql_filter = ListFilter::new(&filter, now);
        let (total, matching) = tokens::count(&state.pool, user.account_id, &sql_filter).await?;
        let page = Page::clamp(page, matching);
        let rows = if matching == 0 {
            Vec::new()
        } else {
            tokens::list_page(
                &state.pool,
                user.account_id,
                &sql_filter,
                page.offset(),
                PAGE_SIZE,
            )
            .await?
        };
        let cards = rows
            .into_iter()
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
                expiry: Expiry::new(row.expires_at, now),
                exposure: Exposure::new(row.exposed_at, row.exposed_url, row.exposed_by.as_deref()),
            })
            .collect();
        Ok(TokenCards { cards, total, page })
    })
    .await
}

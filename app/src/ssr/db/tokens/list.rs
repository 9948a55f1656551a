//! The list of an account's tokens, filtered and paged in SQL: the **State** filter's
//! conditions, the counts (the list's and home's) and the page.

use crate::domain::token_filter::TokenFilter;
use crate::error::AppError;
use crate::ssr::db::engine::{query, Db, Query};
use sqlx::FromRow;
use std::sync::LazyLock;

/// A token as the list shows it.
#[derive(Debug, Clone, FromRow)]
pub struct TokenCardRow {
    pub sid: String,
    pub name: String,
    pub description: String,
    pub api_version: i64,
    /// Enabled or disabled.
    pub enabled: bool,
    /// How many scopes.
    pub scope_count: i64,
    /// Primary contact's name.
    pub contact_name: String,
    /// Primary contact's email.
    pub contact_email: String,
    /// Creator's name.
    pub created_by: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, if ever used.
    pub last_used_at: Option<i64>,
    /// When it expires, Unix seconds; `None`: never.
    pub expires_at: Option<i64>,
    /// When a secret of it was reported exposed (until a Reset).
    pub exposed_at: Option<i64>,
    /// Where, as the report said.
    pub exposed_url: Option<String>,
    /// Who reported it (`github:<source>` or `report`).
    pub exposed_by: Option<String>,
}

/// What the list filters on, ready for SQL.
#[derive(Debug, Clone)]
pub struct ListFilter {
    /// What `name_folded` must contain, escaped for `LIKE` (see [`TokenFilter::like_infix`]).
    pub infix: String,
    /// Created at or after (Unix seconds).
    pub from: Option<i64>,
    /// Created before (Unix seconds).
    pub until: Option<i64>,
    /// Only tokens in this state (`enabled`, `disabled`, `expired`, `exposed`,
    /// `near_quota`, `expiring`, `unused`, `contact_disabled`).
    pub state: Option<&'static str>,
    /// The time expiry is judged at.
    pub now: i64,
}

impl ListFilter {
    /// The filters as of `now`.
    pub fn new(filter: &TokenFilter, now: i64) -> Self {
        let (from, until) = filter.created.range(now);
        Self {
            infix: filter.like_infix(),
            from,
            until,
            state: filter.state.matches(),
            now,
        }
    }
}

/// Each state of the list's **State** filter as SQL over `tokens t` (`$1` the account,
/// `$6` the time it is judged at): the list and home's counts use these same conditions.
const STATES: [(&str, &str); 8] = [
    (
        "enabled",
        "t.enabled = TRUE AND (t.expires_at IS NULL OR t.expires_at > $6)",
    ),
    (
        "disabled",
        "t.enabled = FALSE AND (t.expires_at IS NULL OR t.expires_at > $6)",
    ),
    ("expired", "t.expires_at <= $6"),
    ("exposed", "t.exposed_at IS NOT NULL"),
    ("near_quota", "t.quota_near_until > $6"),
    (
        "expiring",
        "t.expires_at > $6 AND t.expires_at <= $6 + 604800",
    ),
    (
        "unused",
        "(t.expires_at IS NULL OR t.expires_at > $6)
         AND COALESCE(t.last_used_at, t.created_at) <= $6 - 2592000",
    ),
    // The account's disabled users, found once, not looked up token by token.
    (
        "contact_disabled",
        "t.primary_contact_id IN
         (SELECT c.id FROM users c WHERE c.account_id = $1 AND c.disabled_at IS NOT NULL)",
    ),
];

/// The condition of `state` (one of [`ListFilter::state`]'s).
fn state_sql(state: &str) -> &'static str {
    STATES
        .iter()
        .find(|(id, _)| *id == state)
        .map_or("FALSE", |(_, condition)| condition)
}

/// The filter as SQL over `tokens t`, parameters `$2`–`$6` (`$1` is the account). The
/// pattern is an expression, not a bare parameter: SQLite re-prepares a statement whose
/// `LIKE` has a parameter on its right at every new value (for its LIKE optimisation), which
/// cost the API page 8 % of its CPU. An empty pattern and no state skip their tests.
fn matches_sql() -> String {
    let states: String = STATES
        .iter()
        .map(|(id, condition)| format!(" OR ($5 = '{id}' AND {condition})"))
        .collect();
    format!(
        "($2 = '' OR t.name_folded LIKE ('%' || $2 || '%') ESCAPE '\\')
         AND ($3 IS NULL OR t.created_at >= $3)
         AND ($4 IS NULL OR t.created_at < $4)
         AND ($5 IS NULL{states})"
    )
}

fn filtered(sql: &'static str, account_id: i64, filter: &ListFilter) -> Query {
    query(sql)
        .bind(account_id)
        .bind(filter.infix.as_str())
        .bind(filter.from)
        .bind(filter.until)
        .bind(filter.state)
        .bind(filter.now)
}

/// [`count`]'s statement: `$1` the account, `$2`–`$6` the filter.
pub fn count_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let matches = matches_sql();
        format!(
            "SELECT COUNT(*) AS live,
                COALESCE(SUM(CASE WHEN {matches} THEN 1 ELSE 0 END), 0) AS matching
         FROM tokens t
         WHERE t.account_id = $1 AND t.deleted_at IS NULL"
        )
    });
    &SQL
}

/// [`count_each`]'s statement for `states`: one pass over the account's tokens summing
/// each state's count with the list's own condition; `$1` the account, `$2` the time.
pub fn count_each_sql(states: &[&'static str]) -> String {
    let sums: Vec<String> = states
        .iter()
        .map(|state| {
            let condition = state_sql(state).replace("$6", "$2");
            format!("COALESCE(SUM(CASE WHEN {condition} THEN 1 ELSE 0 END), 0)")
        })
        .collect();
    format!(
        "SELECT {} FROM tokens t WHERE t.account_id = $1 AND t.deleted_at IS NULL",
        sums.join(", ")
    )
}

/// How many of the account's live tokens are in each of `states` (from the closed set of
/// [`ListFilter::state`]) as of `now`: what [`count`] says of each, in one pass.
pub async fn count_each(
    pool: &Db,
    account_id: i64,
    states: [&'static str; 4],
    now: i64,
) -> Result<[u64; 4], AppError> {
    let (a, b, c, d): (i64, i64, i64, i64) = query(count_each_sql(&states))
        .bind(account_id)
        .bind(now)
        .fetch_one(pool)
        .await?;
    Ok([a, b, c, d].map(|n| n.max(0) as u64))
}

/// [`list_page`]'s statement: `$1` the account, `$2`–`$6` the filter, `$7` and `$8` the
/// limit and offset. The page's ids come from the index alone (however deep the page),
/// then only those rows are read and joined.
pub fn page_sql() -> &'static str {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let matches = matches_sql();
        format!(
            "SELECT t.sid, t.name, t.description, t.api_version, t.enabled,
                (SELECT COUNT(*) FROM token_scopes s WHERE s.token_id = t.id) AS scope_count,
                c.name AS contact_name, c.email AS contact_email,
                CASE WHEN u.disabled_at IS NULL THEN u.name ELSE u.name || ' (disabled)' END
                    AS created_by,
                t.created_at, t.last_used_at, t.expires_at,
                t.exposed_at, t.exposed_url, t.exposed_by
         FROM (SELECT t.id FROM tokens t
               WHERE t.account_id = $1 AND t.deleted_at IS NULL AND {matches}
               ORDER BY t.created_at DESC, t.id DESC
               LIMIT $7 OFFSET $8) page
         JOIN tokens t ON t.id = page.id
         JOIN users c ON c.id = t.primary_contact_id
         JOIN users u ON u.id = t.created_by
         ORDER BY t.created_at DESC, t.id DESC"
        )
    });
    &SQL
}

/// How many live tokens the account has, and how many of them pass `filter`.
pub async fn count(
    pool: &Db,
    account_id: i64,
    filter: &ListFilter,
) -> Result<(u64, u64), AppError> {
    let (live, matching): (i64, i64) = filtered(count_sql(), account_id, filter)
        .fetch_one::<(i64, i64)>(pool)
        .await?;
    Ok((live.max(0) as u64, matching.max(0) as u64))
}

/// One page of the account's live tokens that pass `filter`, newest first.
pub async fn list_page(
    pool: &Db,
    account_id: i64,
    filter: &ListFilter,
    offset: u64,
    limit: u32,
) -> Result<Vec<TokenCardRow>, AppError> {
    Ok(filtered(page_sql(), account_id, filter)
        .bind(i64::from(limit))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all::<TokenCardRow>(pool)
        .await?)
}

//! The account's audit events as `/settings/activity` and its CSV export read them: a
//! keyset page at a time (newest first, stable while events are added), filtered in SQL.

use super::engine::{query, Db, Query};
use crate::domain::activity::{ActivityFilter, Cursor, Direction};
use crate::error::AppError;
use sqlx::FromRow;

/// An event with what the log shows of it.
#[derive(Debug, Clone, FromRow)]
pub struct ActivityRow {
    /// The event's key.
    pub id: i64,
    /// The stored action id.
    pub action: String,
    /// The stored JSON detail.
    pub detail: String,
    /// When, Unix seconds.
    pub created_at: i64,
    /// The actor's name; `None`: no user acted.
    pub actor: Option<String>,
    /// The token's SID, for token events.
    pub token_sid: Option<String>,
    /// The token's name, for token events.
    pub token_name: Option<String>,
}

/// `$1` the account, `$2`–`$6` the filter, `$7`/`$8` the cursor.
const MATCHES: &str = "a.account_id = $1
     AND ($2 = '' OR a.token_id = (SELECT id FROM tokens WHERE sid = $2 AND account_id = $1))
     AND ($3 IS NULL OR a.actor_id = $3)
     AND ($4 = '' OR a.action = $4)
     AND ($5 IS NULL OR a.created_at >= $5)
     AND ($6 IS NULL OR a.created_at < $6)";

fn bound(sql: String, account_id: i64, filter: &ActivityFilter, cursor: Cursor) -> Query {
    let (from, until) = filter.range();
    query(sql)
        .bind(account_id)
        .bind(filter.token.clone())
        .bind(filter.actor)
        .bind(filter.action.map(|a| a.id()).unwrap_or_default())
        .bind(from)
        .bind(until)
        .bind(cursor.at)
        .bind(cursor.id)
}

fn select(order: &str, compare: &str, limit: u32) -> String {
    format!(
        "SELECT a.id, a.action, a.detail, a.created_at, u.name AS actor,
                t.sid AS token_sid, t.name AS token_name
         FROM audit_events a
         LEFT JOIN users u ON u.id = a.actor_id
         LEFT JOIN tokens t ON t.id = a.token_id
         WHERE {MATCHES} AND (a.created_at {compare} $7 OR (a.created_at = $7 AND a.id {compare} $8))
         ORDER BY a.created_at {order}, a.id {order} LIMIT {limit}"
    )
}

/// A page of the log and whether there is more on either side.
pub struct ActivityPage {
    /// The events, newest first.
    pub rows: Vec<ActivityRow>,
    /// Older events exist past the last row.
    pub has_older: bool,
    /// Newer events exist before the first row.
    pub has_newer: bool,
}

/// Up to `limit` events matching `filter` from `direction` (the newest without one).
pub async fn page(
    pool: &Db,
    account_id: i64,
    filter: &ActivityFilter,
    direction: Option<Direction>,
    limit: u32,
) -> Result<ActivityPage, AppError> {
    let top = Cursor {
        at: i64::MAX,
        id: i64::MAX,
    };
    let (older, cursor) = match direction {
        None => (true, top),
        Some(Direction::Before(cursor)) => (true, cursor),
        Some(Direction::After(cursor)) => (false, cursor),
    };
    let sql = if older {
        select("DESC", "<", limit + 1)
    } else {
        select("ASC", ">", limit + 1)
    };
    let mut rows = bound(sql, account_id, filter, cursor)
        .fetch_all::<ActivityRow>(pool)
        .await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    if !older {
        rows.reverse();
    }
    let beyond = |row: Option<&ActivityRow>, newer: bool| {
        let row = row.map(|r| Cursor {
            at: r.created_at,
            id: r.id,
        });
        async move {
            let Some(cursor) = row else {
                return Ok::<bool, AppError>(false);
            };
            let (order, compare) = if newer { ("ASC", ">") } else { ("DESC", "<") };
            let found = bound(select(order, compare, 1), account_id, filter, cursor)
                .fetch_optional::<ActivityRow>(pool)
                .await?;
            Ok(found.is_some())
        }
    };
    let (has_older, has_newer) = if older {
        let newer = match direction {
            None => false,
            Some(_) => beyond(rows.first(), true).await?,
        };
        (more, newer)
    } else {
        (beyond(rows.last(), false).await?, more)
    };
    Ok(ActivityPage {
        rows,
        has_older,
        has_newer,
    })
}

/// The account's users, disabled ones too, for the **Actor** filter: `(key, name)`.
pub async fn actors(pool: &Db, account_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    Ok(
        query("SELECT id, name FROM users WHERE account_id = $1 ORDER BY name, id")
            .bind(account_id)
            .fetch_all(pool)
            .await?,
    )
}

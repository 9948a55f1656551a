//! The account's audit events as `/settings/activity` and its CSV export read them: a
//! keyset page at a time (newest first, stable while events are added), filtered in SQL.

use super::engine::{query, Db, Query, Value};
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

/// One batch of the log: the events of `account_id` that `filter` selects past `cursor`
/// (older ones newest first, or newer ones oldest first), at most `limit`.
///
/// Only the conditions the filter sets are written, each with its own parameter. A
/// catch-all condition (`$3 IS NULL OR a.actor_id = $3`) made PostgreSQL's generic plan
/// (chosen after a connection's fifth run) guess one row, read every event of the account
/// through a bitmap and sort them, at every batch: the export of a 200,000-event log slowed
/// batch by batch and was cut at its time limit. The cursor is one row-value comparison,
/// a range of `audit_events_account` on both engines; the actor's name is looked up per
/// row, where PostgreSQL hashed every user of the installation for each batch.
pub fn batch(
    account_id: i64,
    filter: &ActivityFilter,
    cursor: Cursor,
    older: bool,
    limit: u32,
) -> Query {
    let mut values: Vec<Value> = vec![account_id.into(), cursor.at.into(), cursor.id.into()];
    let mut conditions = Vec::new();
    let mut when = |condition: &str, value: Value| {
        values.push(value);
        conditions.push(condition.replace('?', &format!("${}", values.len())));
    };
    if !filter.token.is_empty() {
        let token = "a.token_id = (SELECT id FROM tokens WHERE sid = ? AND account_id = $1)";
        when(token, filter.token.clone().into());
    }
    if let Some(actor) = filter.actor {
        when("a.actor_id = ?", actor.into());
    }
    if let Some(action) = filter.action {
        when("a.action = ?", action.id().into());
    }
    let (from, until) = filter.range();
    if let Some(from) = from {
        when("a.created_at >= ?", from.into());
    }
    if let Some(until) = until {
        when("a.created_at < ?", until.into());
    }
    let (compare, order) = if older { ("<", "DESC") } else { (">", "ASC") };
    let filters: String = conditions.iter().map(|c| format!(" AND {c}")).collect();
    let sql = format!(
        "SELECT a.id, a.action, a.detail, a.created_at,
                (SELECT u.name FROM users u WHERE u.id = a.actor_id) AS actor,
                t.sid AS token_sid, t.name AS token_name
         FROM audit_events a
         LEFT JOIN tokens t ON t.id = a.token_id
         WHERE a.account_id = $1 AND (a.created_at, a.id) {compare} ($2, $3){filters}
         ORDER BY a.created_at {order}, a.id {order} LIMIT {limit}"
    );
    values
        .into_iter()
        .fold(query(sql), |statement, value| statement.bind(value))
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
    let mut rows = batch(account_id, filter, cursor, older, limit + 1)
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
            let found = batch(account_id, filter, cursor, !newer, 1)
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

//! Events per key and minute, shared by every instance on one database (rate limits on
//! PostgreSQL). A key's count is its last two minutes'.

use super::engine::{query, Db};
use crate::error::AppError;

/// The events of `key` in `minute` and the minute before.
pub async fn recent(db: &Db, key: &str, minute: i64) -> Result<i64, AppError> {
    Ok(query(
        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM rate_counts
         WHERE key = $1 AND minute >= $2",
    )
    .bind(key)
    .bind(minute - 1)
    .scalar(db)
    .await?)
}

/// Counts one event of `key` in `minute`; the key's count afterwards (see [`recent`]).
pub async fn add(db: &Db, key: &str, minute: i64) -> Result<i64, AppError> {
    let now: i64 = query(
        "INSERT INTO rate_counts (key, minute, count) VALUES ($1, $2, 1)
         ON CONFLICT (key, minute) DO UPDATE SET count = rate_counts.count + 1
         RETURNING count",
    )
    .bind(key)
    .bind(minute)
    .scalar(db)
    .await?;
    let before: i64 = query(
        "SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM rate_counts
         WHERE key = $1 AND minute = $2",
    )
    .bind(key)
    .bind(minute - 1)
    .scalar(db)
    .await?;
    Ok(now + before)
}

/// Forgets minutes before `minute - 1`; how many rows went.
pub async fn prune(db: &Db, minute: i64) -> Result<u64, AppError> {
    Ok(query("DELETE FROM rate_counts WHERE minute < $1")
        .bind(minute - 1)
        .execute(db)
        .await?)
}

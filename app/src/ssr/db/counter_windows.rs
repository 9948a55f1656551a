//! Windows of events per key, shared by every instance on one database (the limits on
//! PostgreSQL, see [`crate::ssr::counters`]). Each event is one atomic upsert.

use super::engine::{query, Db};
use crate::error::AppError;

/// One in this many events also forgets ended windows.
const PRUNE_ONE_IN: u64 = 128;

/// When a key's window ends (Unix seconds) and the events counted in it.
pub type Stored = (i64, i64);

/// Counts one event of `key` at `now`: a window that has ended starts afresh, lasting
/// `seconds`. The window afterwards.
pub async fn add(db: &Db, key: &str, seconds: i64, now: i64) -> Result<Stored, AppError> {
    if rand::random::<u64>().is_multiple_of(PRUNE_ONE_IN) {
        if let Err(error) = prune(db, now).await {
            tracing::warn!(?error, "ended counter windows not pruned");
        }
    }
    Ok(query(
        "INSERT INTO counter_windows (key, ends, count) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN counter_windows.ends <= $3 THEN 1
                          ELSE counter_windows.count + 1 END,
             ends = CASE WHEN counter_windows.ends <= $3 THEN $2
                         ELSE counter_windows.ends END
         RETURNING ends, count",
    )
    .bind(key)
    .bind(now.saturating_add(seconds))
    .bind(now)
    .fetch_one::<Stored>(db)
    .await?)
}

/// `key`'s window, if it hasn't ended at `now`.
pub async fn peek(db: &Db, key: &str, now: i64) -> Result<Option<Stored>, AppError> {
    Ok(
        query("SELECT ends, count FROM counter_windows WHERE key = $1 AND ends > $2")
            .bind(key)
            .bind(now)
            .fetch_optional::<Stored>(db)
            .await?,
    )
}

/// Takes one event of `key` back.
pub async fn give_back(db: &Db, key: &str) -> Result<(), AppError> {
    query("UPDATE counter_windows SET count = count - 1 WHERE key = $1 AND count > 0")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets `key`.
pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    query("DELETE FROM counter_windows WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets windows that ended by `now`; how many went.
pub async fn prune(db: &Db, now: i64) -> Result<u64, AppError> {
    Ok(query("DELETE FROM counter_windows WHERE ends <= $1")
        .bind(now)
        .execute(db)
        .await?)
}

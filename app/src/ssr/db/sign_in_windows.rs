//! Failed sign-ins per key (an account, a client address) in fixed windows, shared by
//! every instance on one database (sign-in throttling on PostgreSQL).

use super::engine::{query, Db};
use crate::error::AppError;
use sqlx::FromRow;

/// A key's window after an event was counted.
#[derive(Debug, Clone, Copy, FromRow)]
pub struct Window {
    /// When the window started, Unix seconds.
    pub started: i64,
    /// Events in it, this one included.
    pub count: i64,
}

/// Counts one event of `key` at `now` in one statement: a window older than `length`
/// seconds starts afresh.
pub async fn count(db: &Db, key: &str, now: i64, length: i64) -> Result<Window, AppError> {
    Ok(query(
        "INSERT INTO sign_in_windows (key, started, count) VALUES ($1, $2, 1)
         ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN sign_in_windows.started <= $3 THEN 1
                          ELSE sign_in_windows.count + 1 END,
             started = CASE WHEN sign_in_windows.started <= $3 THEN $2
                            ELSE sign_in_windows.started END
         RETURNING started, count",
    )
    .bind(key)
    .bind(now)
    .bind(now - length)
    .fetch_one::<Window>(db)
    .await?)
}

/// Takes one event of `key` back.
pub async fn give_back(db: &Db, key: &str) -> Result<(), AppError> {
    query("UPDATE sign_in_windows SET count = count - 1 WHERE key = $1 AND count > 0")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets `key`.
pub async fn clear(db: &Db, key: &str) -> Result<(), AppError> {
    query("DELETE FROM sign_in_windows WHERE key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

/// Forgets windows that ended before `before`.
pub async fn prune(db: &Db, before: i64) -> Result<u64, AppError> {
    Ok(query("DELETE FROM sign_in_windows WHERE started <= $1")
        .bind(before)
        .execute(db)
        .await?)
}

//! Signed-in sessions, keyed by the SHA-256 of the cookie's session id.

use crate::error::AppError;
use sqlx::{FromRow, SqlitePool};

/// The user and account behind a live session.
#[derive(Debug, Clone, FromRow)]
pub struct SessionUserRow {
    /// The user's key.
    pub user_id: i64,
    /// Display name.
    pub user_name: String,
    /// Sign-in email.
    pub email: String,
    /// Role id.
    pub role: String,
    /// The account's key.
    pub account_id: i64,
    /// The account's SID.
    pub account_sid: String,
    /// The account's name.
    pub account_name: String,
}

/// Stores a session.
pub async fn create(
    pool: &SqlitePool,
    id_hash: &[u8],
    user_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    let mut tx = super::begin_write(pool).await?;
    sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The user of an unexpired session.
pub async fn find_user(
    pool: &SqlitePool,
    id_hash: &[u8],
    now: i64,
) -> Result<Option<SessionUserRow>, AppError> {
    Ok(sqlx::query_as::<_, SessionUserRow>(
        "SELECT u.id AS user_id, u.name AS user_name, u.email, u.role,
                a.id AS account_id, a.sid AS account_sid, a.name AS account_name
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN accounts a ON a.id = u.account_id
         WHERE s.id_hash = ? AND s.expires_at > ?",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(pool)
    .await?)
}

/// Ends a session; ending one that does not exist is not an error.
pub async fn delete(pool: &SqlitePool, id_hash: &[u8]) -> Result<(), AppError> {
    let mut tx = super::begin_write(pool).await?;
    sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
        .bind(id_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

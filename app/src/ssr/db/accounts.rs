//! Brand accounts.

use crate::domain::{AccountName, AccountSid};
use crate::error::AppError;
use sqlx::{FromRow, SqlitePool};

/// An account as stored.
#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    /// Internal key.
    pub id: i64,
    /// Public identifier.
    pub sid: String,
    /// Shown name.
    pub name: String,
    /// The **Enable API access** switch.
    pub api_access_enabled: bool,
    /// Unix seconds.
    pub created_at: i64,
}

/// Stores a new account.
pub async fn create(
    pool: &SqlitePool,
    sid: &AccountSid,
    name: &AccountName,
    now: i64,
) -> Result<AccountRow, AppError> {
    let row = sqlx::query_as::<_, AccountRow>(
        "INSERT INTO accounts (sid, name, created_at) VALUES (?, ?, ?)
         RETURNING id, sid, name, api_access_enabled, created_at",
    )
    .bind(sid.as_str())
    .bind(name.as_str())
    .bind(now)
    .fetch_one(pool)
    .await?;
    Ok(row)
}

/// The account with this SID, if any.
pub async fn find_by_sid(pool: &SqlitePool, sid: &str) -> Result<Option<AccountRow>, AppError> {
    Ok(sqlx::query_as::<_, AccountRow>(
        "SELECT id, sid, name, api_access_enabled, created_at FROM accounts WHERE sid = ?",
    )
    .bind(sid)
    .fetch_optional(pool)
    .await?)
}

/// The first account with this name, if any.
pub async fn find_by_name(pool: &SqlitePool, name: &str) -> Result<Option<AccountRow>, AppError> {
    Ok(sqlx::query_as::<_, AccountRow>(
        "SELECT id, sid, name, api_access_enabled, created_at FROM accounts
         WHERE name = ? ORDER BY id LIMIT 1",
    )
    .bind(name)
    .fetch_optional(pool)
    .await?)
}

/// The account with this key.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<AccountRow, AppError> {
    Ok(sqlx::query_as::<_, AccountRow>(
        "SELECT id, sid, name, api_access_enabled, created_at FROM accounts WHERE id = ?",
    )
    .bind(id)
    .fetch_one(pool)
    .await?)
}

/// Turns the account's API access on or off.
pub async fn set_api_access(pool: &SqlitePool, id: i64, enabled: bool) -> Result<(), AppError> {
    let mut tx = super::begin_write(pool).await?;
    let result = sqlx::query("UPDATE accounts SET api_access_enabled = ? WHERE id = ?")
        .bind(enabled)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if result.rows_affected() != 1 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

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

/// Turns the account's API access on or off for `actor_id` and records the change as an
/// audit event of the account, in the same transaction. Returns whether the value
/// changed: switching to the value it already has writes nothing.
pub async fn set_api_access(
    pool: &SqlitePool,
    id: i64,
    actor_id: i64,
    enabled: bool,
    now: i64,
) -> Result<bool, AppError> {
    use super::audit::{self, AuditEvent};
    use crate::domain::audit::{AuditAction, AuditDetail};
    let mut tx = super::begin_write(pool).await?;
    let current =
        sqlx::query_scalar::<_, bool>("SELECT api_access_enabled FROM accounts WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    if current == enabled {
        return Ok(false);
    }
    sqlx::query("UPDATE accounts SET api_access_enabled = ? WHERE id = ?")
        .bind(enabled)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let mut detail = AuditDetail::default();
    let shown = |on: bool| if on { "On" } else { "Off" };
    detail.compare("API access", shown(current), shown(enabled));
    audit::record(
        &mut tx,
        AuditEvent {
            account_id: id,
            token_id: None,
            actor_id,
            action: AuditAction::api_access(enabled),
            detail: &detail,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

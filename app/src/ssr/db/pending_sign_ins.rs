//! Sign-ins whose password was right, waiting for the user's second factor: five minutes
//! at most, keyed by the SHA-256 of a cookie of their own. Only a code (or recovery code)
//! turns one into a session.

use super::engine::{query, Db};
use crate::error::AppError;
use sqlx::FromRow;

/// How long the second step may take, in seconds.
pub const PENDING_TTL_SECS: i64 = 5 * 60;
/// Pending sign-ins kept per user: a new one beyond this ends the oldest, so someone who
/// has the password can't fill the table.
pub const PENDING_PER_USER: i64 = 10;

/// The user a pending sign-in is for. Deliberately not `Debug`: it holds a password hash.
#[derive(Clone, FromRow)]
pub struct PendingRow {
    pub user_id: i64,
    pub account_id: i64,
    pub email: String,
    pub name: String,
    /// The password hash the first step verified.
    pub checked_hash: String,
    /// Whether the password is a temporary one, to be changed first.
    pub must_change_password: bool,
}

/// Stores a pending sign-in of `user_id`, and deletes the expired ones and the user's
/// oldest beyond [`PENDING_PER_USER`].
pub async fn start(
    pool: &Db,
    id_hash: &[u8],
    user_id: i64,
    checked_hash: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    query("DELETE FROM pending_sign_ins WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut tx)
        .await?;
    query(
        "INSERT INTO pending_sign_ins (id_hash, user_id, checked_hash, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(checked_hash)
    .bind(now)
    .bind(now + PENDING_TTL_SECS)
    .execute(&mut tx)
    .await?;
    query(
        "DELETE FROM pending_sign_ins WHERE user_id = $1 AND id_hash NOT IN
           (SELECT id_hash FROM pending_sign_ins WHERE user_id = $1
            ORDER BY created_at DESC, id_hash LIMIT $2)",
    )
    .bind(user_id)
    .bind(PENDING_PER_USER)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The live pending sign-in keyed by `id_hash`, if its user is still enabled.
pub async fn find(pool: &Db, id_hash: &[u8], now: i64) -> Result<Option<PendingRow>, AppError> {
    Ok(query(
        "SELECT p.user_id, u.account_id, u.email, u.name, p.checked_hash, u.must_change_password
         FROM pending_sign_ins p JOIN users u ON u.id = p.user_id
         WHERE p.id_hash = $1 AND p.expires_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional::<PendingRow>(pool)
    .await?)
}

/// Wrong codes after which a pending sign-in ends: the password must be given again.
pub const MAX_WRONG_CODES: i64 = 5;

/// Counts a wrong code for the pending sign-in `id_hash`; returns how many it has had,
/// and ends it at [`MAX_WRONG_CODES`].
pub async fn count_wrong_code(pool: &Db, id_hash: &[u8]) -> Result<i64, AppError> {
    let mut tx = pool.begin_write().await?;
    query("UPDATE pending_sign_ins SET failures = failures + 1 WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut tx)
        .await?;
    let failures: Option<i64> = query("SELECT failures FROM pending_sign_ins WHERE id_hash = $1")
        .bind(id_hash)
        .scalar_optional(&mut tx)
        .await?;
    let failures = failures.unwrap_or(MAX_WRONG_CODES);
    if failures >= MAX_WRONG_CODES {
        query("DELETE FROM pending_sign_ins WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&mut tx)
            .await?;
    }
    tx.commit().await?;
    Ok(failures)
}

/// Ends a pending sign-in (done, or abandoned); ending one that is gone is not an error.
pub async fn end(pool: &Db, id_hash: &[u8]) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    query("DELETE FROM pending_sign_ins WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

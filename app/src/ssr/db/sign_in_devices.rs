//! Browsers where a user has signed in (device cookies): only the hash of each cookie's
//! random value, the user, and when it was last used. At most [`PER_USER`] per user (the
//! least recently used go first) and none older than [`TTL_SECS`]: the table is bounded by
//! the users.

use super::engine::{query, Db};
use crate::error::AppError;

/// How long a device stays known after its last successful sign-in.
pub const TTL_SECS: i64 = 180 * 24 * 60 * 60;

/// Devices kept per user.
pub const PER_USER: i64 = 20;

/// The email of the active user whose device this is, if it is known and not expired.
pub async fn owner(pool: &Db, id_hash: &[u8], now: i64) -> Result<Option<String>, AppError> {
    Ok(query(
        "SELECT u.email FROM sign_in_devices d JOIN users u ON u.id = d.user_id
         WHERE d.id_hash = $1 AND d.last_used_at > $2 AND u.disabled_at IS NULL",
    )
    .bind(id_hash)
    .bind(now - TTL_SECS)
    .scalar_optional(pool)
    .await?)
}

/// Records a successful sign-in of `user_id` from the device `id_hash` (new or known), and
/// forgets the user's devices past the most recent [`PER_USER`] and anyone's expired ones.
pub async fn remember(pool: &Db, id_hash: &[u8], user_id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    query(
        "INSERT INTO sign_in_devices (id_hash, user_id, created_at, last_used_at)
         VALUES ($1, $2, $3, $3)
         ON CONFLICT (id_hash) DO UPDATE SET user_id = $2, last_used_at = $3",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now)
    .execute(&mut tx)
    .await?;
    query(
        "DELETE FROM sign_in_devices WHERE user_id = $1 AND id_hash NOT IN (
             SELECT id_hash FROM sign_in_devices WHERE user_id = $1
             ORDER BY last_used_at DESC LIMIT $2)",
    )
    .bind(user_id)
    .bind(PER_USER)
    .execute(&mut tx)
    .await?;
    query("DELETE FROM sign_in_devices WHERE last_used_at <= $1")
        .bind(now - TTL_SECS)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

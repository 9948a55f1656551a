//! Signed-in sessions, keyed by the SHA-256 of the cookie's session id.
//!
//! A session ends at its absolute expiry (`expires_at`, set at sign-in) or once it has
//! gone unused for longer than the idle timeout (`last_seen_at`, recorded at most once a
//! [`TOUCH_INTERVAL_SECS`] per session so that reading a page is not a write each time).

use super::audit::{self, AuditEvent};
use super::engine::{query, Db, Tx};
use crate::domain::audit::{AuditAction, AuditDetail, FieldChange};
use crate::error::AppError;
use sqlx::FromRow;

/// A session's use is recorded when the last record is at least this old, in seconds.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

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
    /// Whether the account's API access is on.
    pub api_access_enabled: bool,
    /// The account's longest token lifetime in days (`None`: no maximum).
    pub max_token_lifetime_days: Option<i64>,
    /// Whether the account allows tokens that never expire.
    pub allow_never_expiring: bool,
    /// Whether the user signed in with a temporary password they must change first.
    pub must_change_password: bool,
    /// Whether the user has a confirmed authenticator app.
    pub has_second_factor: bool,
    /// The account's **Require two-factor authentication** rule (stored id).
    pub require_two_factor: String,
    /// The account's **When a token is exposed** (stored id).
    pub exposure_policy: String,
    /// The account's policy for its tokens' limits (stored JSON).
    pub limits_policy: String,
    /// The account's **Token creation** (stored id).
    pub token_creation: String,
    /// When the session last proved who its user is.
    pub proved_at: i64,
    /// The absolute end of the session.
    pub expires_at: i64,
    /// When the session was last used (to the minute).
    pub last_seen_at: i64,
}

/// Stores a session, used now, and records the sign-in on the user; only if the user is
/// not disabled and still has the password hash `checked_hash` that sign-in verified (a
/// **Disable** or **Reset password** that landed meanwhile wins: `Unauthorized`).
pub async fn create(
    pool: &Db,
    id_hash: &[u8],
    user_id: i64,
    checked_hash: Option<&str>,
    now: i64,
    expires_at: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    // The user's row first, in a write that locks it: PostgreSQL (READ COMMITTED) waits
    // for a Disable, Reset or Change password in flight and checks its WHERE against the
    // row they leave, where a plain read would see the row from before they commit. Once
    // it holds the lock, a change that follows waits for this session and then ends it.
    let current = query(
        "UPDATE users SET last_sign_in_at = $1
         WHERE id = $2 AND disabled_at IS NULL AND (CAST($3 AS TEXT) IS NULL OR password_hash = $3)",
    )
    .bind(now)
    .bind(user_id)
    .bind(checked_hash.map(str::to_string))
    .execute(&mut tx)
    .await?;
    if current == 0 {
        return Err(AppError::Unauthorized);
    }
    query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at, proved_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .bind(now)
    .bind(now)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes every session past its absolute expiry or unused for more than `idle_secs`;
/// returns how many.
pub async fn prune(pool: &Db, now: i64, idle_secs: i64) -> Result<u64, AppError> {
    let mut tx = pool.begin_write().await?;
    let done = query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at < $2")
        .bind(now)
        .bind(now - idle_secs)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(done)
}

/// The user of a live session: neither past its absolute expiry nor unused for more than
/// `idle_secs`. A session found dead is deleted; a live one's use is recorded when the
/// last record is a minute old or more.
pub async fn find_user(
    pool: &Db,
    id_hash: &[u8],
    now: i64,
    idle_secs: i64,
) -> Result<Option<SessionUserRow>, AppError> {
    let row = query(
        "SELECT u.id AS user_id, u.name AS user_name, u.email, u.role,
                a.id AS account_id, a.sid AS account_sid, a.name AS account_name,
                a.api_access_enabled, a.max_token_lifetime_days, a.allow_never_expiring,
                u.must_change_password, s.expires_at, s.last_seen_at, s.proved_at,
                a.require_two_factor, a.exposure_policy, a.limits_policy, a.token_creation,
                (EXISTS (SELECT 1 FROM totp_factors t
                         WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
                 OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id)) AS has_second_factor
         FROM sessions s
         JOIN users u ON u.id = s.user_id
         JOIN accounts a ON a.id = u.account_id
         WHERE s.id_hash = $1 AND u.disabled_at IS NULL",
    )
    .bind(id_hash)
    .fetch_optional::<SessionUserRow>(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    if row.expires_at <= now || now - row.last_seen_at > idle_secs {
        delete(pool, id_hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at >= TOUCH_INTERVAL_SECS {
        // Losing one record of use costs at most a minute of idle time: not worth failing
        // the request for.
        let touched =
            query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND last_seen_at < $3")
                .bind(now)
                .bind(id_hash)
                .bind(now)
                .execute(pool)
                .await;
        if let Err(error) = touched {
            tracing::warn!(%error, "could not record a session's use");
        }
    }
    Ok(Some(row))
}

/// Records that the session proved its user again now (**Confirm access**); `false` if the
/// session has ended.
pub async fn prove(pool: &Db, id_hash: &[u8], now: i64) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    let proved = query("UPDATE sessions SET proved_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(proved == 1)
}

/// Ends a session; ending one that does not exist is not an error.
pub async fn delete(pool: &Db, id_hash: &[u8]) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends every session of the user but `keep` (none kept when `None`), inside `tx`;
/// returns how many ended.
pub async fn end_others_in(
    tx: &mut Tx,
    user_id: i64,
    keep: Option<&[u8]>,
) -> Result<u64, AppError> {
    let done = match keep {
        Some(keep) => {
            query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .bind(user_id)
                .bind(keep)
                .execute(&mut *tx)
                .await?
        }
        None => {
            query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?
        }
    };
    Ok(done)
}

/// **Sign out everywhere**: ends every session of the user and records it as an audit
/// event of their account, in one transaction; returns how many sessions ended.
pub async fn end_everywhere(
    pool: &Db,
    account_id: i64,
    user_id: i64,
    now: i64,
) -> Result<u64, AppError> {
    let mut tx = pool.begin_write().await?;
    let ended = end_others_in(&mut tx, user_id, None).await?;
    let detail = AuditDetail {
        changes: vec![FieldChange {
            field: "Signed-in sessions".to_string(),
            before: ended.to_string(),
            after: "0".to_string(),
        }],
        ..AuditDetail::default()
    };
    audit::record(
        &mut tx,
        AuditEvent {
            account_id,
            token_id: None,
            actor_id: Some(user_id),
            action: AuditAction::SignedOutEverywhere,
            detail: &detail,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ended)
}

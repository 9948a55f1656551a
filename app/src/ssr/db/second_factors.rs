//! A user's second factors: their authenticator app (TOTP) and its recovery codes.
//!
//! Every change is audited and mailed to the user in its own transaction. A code is
//! accepted once: the step it belongs to must be later than the last accepted one, and a
//! recovery code must be unused, each checked by the write that records its use, so two
//! sign-ins racing with one code can't both win.

use super::engine::{query, Db};
pub use super::factor_records::Owner;
use super::factor_records::{record, store_recovery_codes};
use crate::domain::audit::AuditAction;
use crate::error::AppError;
use sqlx::FromRow;

/// A user's authenticator app as stored. Deliberately not `Debug`: it holds the key.
#[derive(Clone, FromRow)]
pub struct TotpRow {
    /// The shared key, base32.
    pub secret: String,
    /// When the set-up began.
    pub created_at: i64,
    /// When a first code confirmed it; `None`: set-up in progress, not a factor yet.
    pub confirmed_at: Option<i64>,
    /// When a code was last accepted.
    pub last_used_at: Option<i64>,
}

/// The user's authenticator app, confirmed or being set up.
pub async fn totp(pool: &Db, user_id: i64) -> Result<Option<TotpRow>, AppError> {
    Ok(query(
        "SELECT secret, created_at, confirmed_at, last_used_at FROM totp_factors
         WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional::<TotpRow>(pool)
    .await?)
}

/// Starts setting up an authenticator app with `secret`, replacing a set-up in progress;
/// a confirmed app stays (409: remove it first).
pub async fn start_totp(pool: &Db, user_id: i64, secret: &str, now: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let stored = query(
        "INSERT INTO totp_factors (user_id, secret, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET secret = $2, created_at = $3, last_step = 0
         WHERE totp_factors.confirmed_at IS NULL",
    )
    .bind(user_id)
    .bind(secret)
    .bind(now)
    .execute(&mut tx)
    .await?;
    if stored == 0 {
        return Err(AppError::Conflict(
            "An authenticator app is already set up. Remove it first to set up another."
                .to_string(),
        ));
    }
    tx.commit().await?;
    Ok(())
}

/// A set-up being confirmed.
pub struct SetUp<'a> {
    /// The key shown (the set-up is confirmed only if it is still this one).
    pub secret: &'a str,
    /// The step of the code that confirmed it.
    pub step: i64,
    /// The new recovery codes' hashes.
    pub code_hashes: &'a [[u8; 32]],
    /// The session that confirmed it: every other session of the user ends.
    pub keep: &'a [u8],
}

/// Confirms the set-up in progress with the code of `step`, gives the user new recovery
/// codes and ends their other sessions; audited and mailed. 409 if there is no set-up in
/// progress any more (confirmed meanwhile, or started again: the key changed).
pub async fn confirm_totp(
    pool: &Db,
    owner: Owner<'_>,
    set_up: SetUp<'_>,
    now: i64,
) -> Result<(), AppError> {
    let SetUp {
        secret,
        step,
        code_hashes,
        keep,
    } = set_up;
    let mut tx = pool.begin_write().await?;
    let confirmed = query(
        "UPDATE totp_factors SET confirmed_at = $1, last_used_at = $1, last_step = $2
         WHERE user_id = $3 AND secret = $4 AND confirmed_at IS NULL",
    )
    .bind(now)
    .bind(step)
    .bind(owner.user_id)
    .bind(secret)
    .execute(&mut tx)
    .await?;
    if confirmed == 0 {
        return Err(AppError::Conflict(
            "This set-up has ended: it was finished or started again elsewhere. Reload the \
             page to see your sign-in as it is now."
                .to_string(),
        ));
    }
    store_recovery_codes(&mut tx, owner.user_id, code_hashes, now).await?;
    super::sessions::end_others_in(&mut tx, owner.user_id, Some(keep)).await?;
    record(&mut tx, owner, AuditAction::SecondFactorAdded, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Accepts the user's app code of `step` if no code of this or a later step was accepted
/// before; `false`: a replay (or no confirmed app).
pub async fn accept_step(pool: &Db, user_id: i64, step: i64, now: i64) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    let accepted = query(
        "UPDATE totp_factors SET last_step = $1, last_used_at = $2
         WHERE user_id = $3 AND confirmed_at IS NOT NULL AND last_step < $1",
    )
    .bind(step)
    .bind(now)
    .bind(user_id)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(accepted == 1)
}

/// Uses up the recovery code whose hash is `code_hash`, if it is the user's and unused;
/// audited and mailed. `false`: not one of theirs, or used before.
pub async fn use_recovery_code(
    pool: &Db,
    owner: Owner<'_>,
    code_hash: &[u8; 32],
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    let used = query(
        "UPDATE recovery_codes SET used_at = $1
         WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(now)
    .bind(owner.user_id)
    .bind(&code_hash[..])
    .execute(&mut tx)
    .await?;
    if used == 0 {
        return Ok(false);
    }
    record(&mut tx, owner, AuditAction::RecoveryCodeUsed, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// How many unused recovery codes the user has.
pub async fn recovery_codes_left(pool: &Db, user_id: i64) -> Result<i64, AppError> {
    Ok(
        query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .scalar(pool)
            .await?,
    )
}

/// Replaces the user's recovery codes with `code_hashes`; only with a confirmed app or a
/// passkey (404 otherwise). Audited and mailed.
pub async fn replace_recovery_codes(
    pool: &Db,
    owner: Owner<'_>,
    code_hashes: &[[u8; 32]],
    now: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let factors: i64 = query(
        "SELECT (SELECT COUNT(*) FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL)
              + (SELECT COUNT(*) FROM passkeys WHERE user_id = $1)",
    )
    .bind(owner.user_id)
    .scalar(&mut tx)
    .await?;
    if factors == 0 {
        return Err(AppError::NotFound);
    }
    store_recovery_codes(&mut tx, owner.user_id, code_hashes, now).await?;
    record(&mut tx, owner, AuditAction::RecoveryCodesRegenerated, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the user's authenticator app, and their recovery codes unless a passkey remains
/// (404 if they have no app);
/// audited and mailed.
pub async fn remove_totp(pool: &Db, owner: Owner<'_>, now: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let removed = query("DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL")
        .bind(owner.user_id)
        .execute(&mut tx)
        .await?;
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    super::factor_records::forget_recovery_codes_without_factor(&mut tx, owner.user_id).await?;
    record(&mut tx, owner, AuditAction::SecondFactorRemoved, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Records that a sign-in with the user's right password gave a wrong code: audited, and
/// mailed, since whoever did it knows their password.
pub async fn wrong_code_after_password(
    pool: &Db,
    owner: Owner<'_>,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    record(&mut tx, owner, AuditAction::SecondFactorFailed, now).await?;
    tx.commit().await?;
    Ok(())
}

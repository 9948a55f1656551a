//! What every change to a user's own second factors writes besides itself: the audit event
//! and the mail that tells them, and their recovery codes (which come with their first
//! factor and go with their last).

use super::audit::{self, AuditEvent};
use super::engine::{query, Tx};
use super::outbox;
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::notice;
use crate::error::AppError;

/// The user a change is about, to audit and mail it.
#[derive(Debug, Clone, Copy)]
pub struct Owner<'a> {
    pub account_id: i64,
    pub user_id: i64,
    pub name: &'a str,
    pub email: &'a str,
}

/// Replaces the user's recovery codes with `code_hashes`.
pub(super) async fn store_recovery_codes(
    tx: &mut Tx,
    user_id: i64,
    code_hashes: &[[u8; 32]],
    now: i64,
) -> Result<(), AppError> {
    query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    for hash in code_hashes {
        query("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(&hash[..])
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// The audit event of a change to the owner's sign-in, and the mail that tells them.
pub(super) async fn record(
    tx: &mut Tx,
    owner: Owner<'_>,
    action: AuditAction,
    now: i64,
) -> Result<(), AppError> {
    record_with(tx, owner, action, &AuditDetail::default(), now).await
}

/// [`record`] with a detail (which passkey).
pub(super) async fn record_with(
    tx: &mut Tx,
    owner: Owner<'_>,
    action: AuditAction,
    detail: &AuditDetail,
    now: i64,
) -> Result<(), AppError> {
    let event = AuditEvent {
        account_id: owner.account_id,
        token_id: None,
        actor_id: Some(owner.user_id),
        action,
        detail,
        at: now,
    };
    audit::record(tx, event).await?;
    let at = crate::ssr::display_time(now);
    let message = notice::own_sign_in(owner.email, owner.name, action, &at);
    outbox::queue_to_user(tx, owner.account_id, &message, now).await
}

/// Recovery codes recover a second factor: a user left with none loses their codes.
pub(super) async fn forget_recovery_codes_without_factor(
    tx: &mut Tx,
    user_id: i64,
) -> Result<(), AppError> {
    query(
        "DELETE FROM recovery_codes WHERE user_id = $1
         AND NOT EXISTS (SELECT 1 FROM passkeys WHERE user_id = $1)
         AND NOT EXISTS (SELECT 1 FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL)",
    )
    .bind(user_id)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

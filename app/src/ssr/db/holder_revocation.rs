//! Revocation by whoever holds a token's secret (RFC 7009, `POST /oauth/revoke`): the token
//! is disabled, not deleted, so its owners see what happened; the event names no user, and
//! the token's contacts are told.

use super::engine::{query, Db};
use super::token_record::{record_change, RecordedChange};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::notice;
use crate::error::AppError;
use sqlx::FromRow;

#[derive(FromRow)]
struct Revocable {
    account_id: i64,
    sid: String,
    name: String,
}

/// Disables the live token `token_id` whose current secret hashes to `hash`, if it is
/// enabled; whether it was. The secret is marked revoked: the token can't be enabled again
/// until a Reset, and any old secret of an overlap stops too.
pub async fn revoke(pool: &Db, token_id: i64, hash: &[u8], now: i64) -> Result<bool, AppError> {
    revoke_with(
        pool,
        (token_id, hash, now),
        "UPDATE tokens SET enabled = FALSE, secret_revoked_at = $1,
                           old_secret_hash = NULL, old_secret_until = NULL,
                           version = version + 1, updated_at = $1
         WHERE id = $2 AND secret_hash = $3 AND secret_revoked_at IS NULL
               AND deleted_at IS NULL
         RETURNING account_id, sid, name",
        AuditAction::RevokedByHolder,
    )
    .await
}

/// Ends the overlap of a Reset whose old secret was revoked (the token and its current
/// secret keep working); whether the old secret still worked.
pub async fn revoke_old_secret(
    pool: &Db,
    token_id: i64,
    hash: &[u8],
    now: i64,
) -> Result<bool, AppError> {
    revoke_with(
        pool,
        (token_id, hash, now),
        "UPDATE tokens SET old_secret_hash = NULL, old_secret_until = NULL,
                           version = version + 1, updated_at = $1
         WHERE id = $2 AND old_secret_hash = $3 AND old_secret_until > $1
               AND deleted_at IS NULL
         RETURNING account_id, sid, name",
        AuditAction::OldSecretRevoked,
    )
    .await
}

/// Runs `update` (`$1` now, `$2` the token, `$3` the secret's hash: the row changes only
/// if that secret is still the one the lookup found), then audits and tells the contacts.
async fn revoke_with(
    pool: &Db,
    (token_id, hash, now): (i64, &[u8], i64),
    update: &'static str,
    action: AuditAction,
) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    let token = query(update)
        .bind(now)
        .bind(token_id)
        .bind(hash)
        .fetch_optional::<Revocable>(&mut tx)
        .await?;
    let Some(token) = token else {
        return Ok(false);
    };
    let recipients = super::token_changes::recipients(&mut tx, token_id).await?;
    let messages = notice::revoked_by_holder(&token.name, &token.sid, action, recipients);
    let change = RecordedChange {
        account_id: token.account_id,
        token_id,
        actor_id: None,
        action,
        detail: &AuditDetail::default(),
        at: now,
        messages: &messages,
    };
    record_change(&mut tx, change).await?;
    tx.announce_change();
    tx.commit().await?;
    Ok(true)
}

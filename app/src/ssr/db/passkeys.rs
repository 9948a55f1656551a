//! A user's passkeys, and the challenges of passkey ceremonies in progress.
//!
//! A passkey is stored as the relying party's record of it (public key and signature
//! counter): nothing in this table opens a session by itself. Adding and removing one is
//! audited and mailed to the user; every change is one transaction.

use super::engine::{query, Db};
use super::factor_records::{
    forget_recovery_codes_without_factor, record_with, store_recovery_codes, Owner,
};
use crate::domain::audit::{AuditAction, AuditDetail, FieldChange};
use crate::domain::passkey::{PasskeyName, MAX_PASSKEYS};
use crate::error::AppError;
use sqlx::FromRow;

/// A passkey as the Security page lists it.
#[derive(Debug, Clone, FromRow)]
pub struct PasskeyRow {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A passkey with the record an answer is checked against.
#[derive(Debug, Clone, FromRow)]
pub struct StoredPasskey {
    pub id: i64,
    pub user_id: i64,
    pub credential_id: Vec<u8>,
    pub user_handle: Vec<u8>,
    /// The relying party's record, as JSON.
    pub credential: String,
}

/// A passkey the user just created, checked.
pub struct NewPasskey<'a> {
    pub credential_id: &'a [u8],
    pub user_handle: &'a [u8],
    pub name: &'a PasskeyName,
    pub credential: &'a str,
    /// Recovery codes to give the user if this is their first factor (they have none).
    pub code_hashes: &'a [[u8; 32]],
    /// The session that added it: every other session of the user ends.
    pub keep: &'a [u8],
}

/// The user's passkeys, oldest first.
pub async fn list(pool: &Db, user_id: i64) -> Result<Vec<PasskeyRow>, AppError> {
    Ok(query(
        "SELECT id, name, created_at, last_used_at FROM passkeys WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all::<PasskeyRow>(pool)
    .await?)
}

/// The user's passkeys with their records (to ask for one of them).
pub async fn stored(pool: &Db, user_id: i64) -> Result<Vec<StoredPasskey>, AppError> {
    Ok(query(
        "SELECT id, user_id, credential_id, user_handle, credential FROM passkeys WHERE user_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all::<StoredPasskey>(pool)
    .await?)
}

/// The passkey whose credential id is `credential_id`, whoever's it is.
pub async fn by_credential(
    pool: &Db,
    credential_id: &[u8],
) -> Result<Option<StoredPasskey>, AppError> {
    Ok(query(
        "SELECT id, user_id, credential_id, user_handle, credential FROM passkeys WHERE credential_id = $1",
    )
    .bind(credential_id)
    .fetch_optional::<StoredPasskey>(pool)
    .await?)
}

/// Whether the user has any passkey.
pub async fn has_any(pool: &Db, user_id: i64) -> Result<bool, AppError> {
    let count: i64 = query("SELECT COUNT(*) FROM passkeys WHERE user_id = $1")
        .bind(user_id)
        .scalar(pool)
        .await?;
    Ok(count > 0)
}

/// Stores a new passkey of `owner`; the user's first factor also gets them recovery codes
/// (`true`: the codes were stored and must be shown). Their other sessions end. 409 when
/// they have [`MAX_PASSKEYS`] already, or the credential is registered (to anyone).
pub async fn add(
    pool: &Db,
    owner: Owner<'_>,
    passkey: NewPasskey<'_>,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    let count: i64 = query("SELECT COUNT(*) FROM passkeys WHERE user_id = $1")
        .bind(owner.user_id)
        .scalar(&mut tx)
        .await?;
    if count >= MAX_PASSKEYS as i64 {
        return Err(AppError::Conflict(format!(
            "You have {MAX_PASSKEYS} passkeys, the most one user may keep. Remove one first."
        )));
    }
    query(
        "INSERT INTO passkeys (user_id, credential_id, user_handle, name, credential, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(owner.user_id)
    .bind(passkey.credential_id)
    .bind(passkey.user_handle)
    .bind(passkey.name.as_str())
    .bind(passkey.credential)
    .bind(now)
    .execute(&mut tx)
    .await
    .map_err(|error| match AppError::from(error) {
        AppError::Conflict(_) => AppError::Conflict(
            "This passkey is already registered. Choose another passkey or device.".to_string(),
        ),
        other => other,
    })?;
    let codes: i64 = query("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1")
        .bind(owner.user_id)
        .scalar(&mut tx)
        .await?;
    let first = codes == 0;
    if first {
        store_recovery_codes(&mut tx, owner.user_id, passkey.code_hashes, now).await?;
    }
    super::sessions::end_others_in(&mut tx, owner.user_id, Some(passkey.keep)).await?;
    let detail = named(passkey.name.as_str(), true);
    record_with(&mut tx, owner, AuditAction::PasskeyAdded, &detail, now).await?;
    tx.commit().await?;
    Ok(first)
}

/// Records a use of the passkey `id`: its updated record (signature counter) and when.
pub async fn record_use(pool: &Db, id: i64, credential: &str, now: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    query("UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3")
        .bind(credential)
        .bind(now)
        .bind(id)
        .execute(&mut tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Renames the user's passkey `id` (404 if it isn't theirs).
pub async fn rename(pool: &Db, user_id: i64, id: i64, name: &PasskeyName) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let renamed = query("UPDATE passkeys SET name = $1 WHERE id = $2 AND user_id = $3")
        .bind(name.as_str())
        .bind(id)
        .bind(user_id)
        .execute(&mut tx)
        .await?;
    if renamed == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Removes the owner's passkey `id` (404 if it isn't theirs); with their last factor go
/// their recovery codes. Audited and mailed.
pub async fn remove(pool: &Db, owner: Owner<'_>, id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let name: Option<String> =
        query("DELETE FROM passkeys WHERE id = $1 AND user_id = $2 RETURNING name")
            .bind(id)
            .bind(owner.user_id)
            .scalar_optional(&mut tx)
            .await?;
    let Some(name) = name else {
        return Err(AppError::NotFound);
    };
    forget_recovery_codes_without_factor(&mut tx, owner.user_id).await?;
    let detail = named(&name, false);
    record_with(&mut tx, owner, AuditAction::PasskeyRemoved, &detail, now).await?;
    tx.commit().await?;
    Ok(())
}

fn named(name: &str, added: bool) -> AuditDetail {
    let (before, after) = if added {
        (String::new(), name.to_string())
    } else {
        (name.to_string(), String::new())
    };
    AuditDetail {
        changes: vec![FieldChange {
            field: "Passkey".to_string(),
            before,
            after,
        }],
        ..AuditDetail::default()
    }
}

/// The user a passkey signs in. Deliberately not `Debug`: it holds a password hash.
#[derive(Clone, FromRow)]
pub struct PasskeyUser {
    pub user_id: i64,
    pub account_id: i64,
    pub email: String,
    pub name: String,
    /// The current password hash (a session is bound to it, as after a password).
    pub password_hash: String,
    pub disabled_at: Option<i64>,
    pub must_change_password: bool,
}

/// The user `user_id`, to sign in with their passkey.
pub async fn user(pool: &Db, user_id: i64) -> Result<Option<PasskeyUser>, AppError> {
    Ok(query(
        "SELECT id AS user_id, account_id, email, name, password_hash, disabled_at,
                must_change_password
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional::<PasskeyUser>(pool)
    .await?)
}

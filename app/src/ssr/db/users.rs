//! Users of an account.

use super::engine::{query, Db};
use crate::domain::{EmailAddress, PersonName, Role};
use crate::error::AppError;
use sqlx::FromRow;

/// A user as listed (no password hash).
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    /// Internal key.
    pub id: i64,
    /// Owning account.
    pub account_id: i64,
    /// Sign-in email, lower-case.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role id.
    pub role: String,
}

/// What sign-in needs: the user and the stored hash. Deliberately not `Debug`.
#[derive(FromRow)]
pub struct Credentials {
    /// The user's key.
    pub id: i64,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// When an administrator disabled the user (`None`: they may sign in).
    pub disabled_at: Option<i64>,
    /// Whether the password is a temporary one, to be changed before anything else.
    pub must_change_password: bool,
}

/// Stores a new user; an email already in use anywhere is a conflict.
pub async fn create(
    pool: &Db,
    account_id: i64,
    email: &EmailAddress,
    name: &PersonName,
    role: Role,
    password_hash: &str,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin_write().await?;
    let id = query(
        "INSERT INTO users (account_id, email, name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(account_id)
    .bind(email.as_str())
    .bind(name.as_str())
    .bind(role.id())
    .bind(password_hash)
    .bind(now)
    .scalar(&mut tx)
    .await
    .map_err(|error| match AppError::from(error) {
        AppError::Conflict(_) => AppError::Conflict(format!("{email} is already a user.")),
        other => other,
    })?;
    tx.commit().await?;
    Ok(id)
}

/// The credentials for a sign-in email, if such a user exists.
pub async fn find_credentials(
    pool: &Db,
    email: &EmailAddress,
) -> Result<Option<Credentials>, AppError> {
    let same = pool.engine().same_text("email", "$1");
    Ok(query(format!(
        "SELECT id, password_hash, disabled_at, must_change_password FROM users WHERE {same}"
    ))
    .bind(email.as_str())
    .fetch_optional::<Credentials>(pool)
    .await?)
}

/// The user with this email, if any.
pub async fn find_by_email(pool: &Db, email: &EmailAddress) -> Result<Option<UserRow>, AppError> {
    let same = pool.engine().same_text("email", "$1");
    Ok(query(format!(
        "SELECT id, account_id, email, name, role FROM users WHERE {same}"
    ))
    .bind(email.as_str())
    .fetch_optional::<UserRow>(pool)
    .await?)
}

/// Replaces a user's password hash and ends all of their sessions.
pub async fn set_password(pool: &Db, id: i64, password_hash: &str) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(&mut tx)
        .await?;
    super::sessions::end_others_in(&mut tx, id, None).await?;
    tx.commit().await?;
    Ok(())
}

/// **Change password**: the user's new hash; every other session of theirs ends (`keep`
/// is the one that made the change) and the change is an audit event of the account, in
/// one transaction. `checked_hash` is the stored hash the current password was checked
/// against: if it has changed since, or `keep` has ended, nothing changes (409).
/// Returns how many other sessions ended.
pub async fn change_own_password(
    pool: &Db,
    account_id: i64,
    user_id: i64,
    password_hash: &str,
    checked_hash: &str,
    keep: &[u8],
    now: i64,
) -> Result<u64, AppError> {
    use super::audit::{self, AuditEvent};
    use crate::domain::audit::{AuditAction, AuditDetail, FieldChange};
    let mut tx = pool.begin_write().await?;
    // Only over the password that was checked, and only from a session still alive: of
    // two changes at once, the second finds neither and changes nothing.
    let changed = query(
        "UPDATE users SET password_hash = $1, must_change_password = FALSE
         WHERE id = $2 AND account_id = $3 AND password_hash = $4
         AND EXISTS (SELECT 1 FROM sessions WHERE id_hash = $5 AND user_id = users.id)",
    )
    .bind(password_hash)
    .bind(user_id)
    .bind(account_id)
    .bind(checked_hash)
    .bind(keep)
    .execute(&mut tx)
    .await?;
    if changed == 0 {
        return Err(AppError::Conflict(
            "Your password was changed from another session meanwhile. Sign in again with \
             the new password."
                .to_string(),
        ));
    }
    let ended = super::sessions::end_others_in(&mut tx, user_id, Some(keep)).await?;
    let detail = AuditDetail {
        changes: vec![FieldChange {
            field: "Other signed-in sessions".to_string(),
            before: ended.to_string(),
            after: "0".to_string(),
        }],
        ..AuditDetail::default()
    };
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(user_id),
        action: AuditAction::PasswordChanged,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(ended)
}

/// The name and email of user `id`, if they belong to `account_id`; anyone else is the
/// **Primary Contact** field's "Choose a primary contact from this account's users."
pub async fn contact_in_account<'e>(
    db: impl Into<super::engine::Conn<'e>>,
    account_id: i64,
    id: i64,
) -> Result<(String, String), AppError> {
    use crate::domain::wizard::{Field, FieldError, Problem};
    let contact: Option<(String, String, Option<i64>)> =
        query("SELECT name, email, disabled_at FROM users WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id)
            .fetch_optional(db)
            .await?;
    let refuse = |problem| {
        AppError::Validation(vec![FieldError {
            field: Field::PrimaryContact,
            problem,
        }])
    };
    match contact {
        Some((name, email, None)) => Ok((name, email)),
        Some((_, _, Some(_))) => Err(refuse(Problem::ContactDisabled)),
        None => Err(refuse(Problem::ContactUnknown)),
    }
}

/// Every active (not disabled) user of an account, by name.
pub async fn list_for_account(pool: &Db, account_id: i64) -> Result<Vec<UserRow>, AppError> {
    Ok(query(
        "SELECT id, account_id, email, name, role FROM users
         WHERE account_id = $1 AND disabled_at IS NULL ORDER BY name, id",
    )
    .bind(account_id)
    .fetch_all::<UserRow>(pool)
    .await?)
}

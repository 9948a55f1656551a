//! `/settings/users`: the account's users as an administrator manages them. Every change is
//! one transaction with its audit event; changes to one account's users queue behind each
//! other (the account's row is written first), so two administrators demoting each other at
//! once can't leave the account without one.

use super::audit::{self, AuditEvent};
use super::engine::{query, Db, Tx};
use crate::domain::audit::{AuditAction, AuditDetail, FieldChange};
use crate::domain::user_admin::{
    check_user_change, UserChange, UserChangeRefusal, UserField, UserFieldError, UserProblem,
    UserStanding, ValidNewUser,
};
use crate::domain::{contact_label, Role};
use crate::error::AppError;
use sqlx::FromRow;

/// A user as `/settings/users` lists them.
#[derive(Debug, Clone, FromRow)]
pub struct ManagedUserRow {
    /// Internal key.
    pub id: i64,
    /// Sign-in email.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role id.
    pub role: String,
    /// When they were disabled (`None`: active).
    pub disabled_at: Option<i64>,
    /// Whether they still sign in with a temporary password.
    pub must_change_password: bool,
    /// When they last signed in.
    pub last_sign_in_at: Option<i64>,
    /// When they were added.
    pub created_at: i64,
}

/// Every user of the account: active ones first, then by name.
pub async fn list(pool: &Db, account_id: i64) -> Result<Vec<ManagedUserRow>, AppError> {
    Ok(query(
        "SELECT id, email, name, role, disabled_at, must_change_password, last_sign_in_at,
                created_at
         FROM users WHERE account_id = $1
         ORDER BY CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END, name, id",
    )
    .bind(account_id)
    .fetch_all::<ManagedUserRow>(pool)
    .await?)
}

/// The names and emails of the account's active users with `role`, for the home page.
pub async fn active_with_role(
    pool: &Db,
    account_id: i64,
    role: Role,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(query(
        "SELECT name, email FROM users
         WHERE account_id = $1 AND role = $2 AND disabled_at IS NULL ORDER BY name, id",
    )
    .bind(account_id)
    .bind(role.id())
    .fetch_all(pool)
    .await?)
}

/// Who acted: a signed-in user, or an operator on the command line (`None`).
pub type Actor = Option<i64>;

/// Queues behind any other change to the account's users (a write to the account's row),
/// then checks, inside the transaction, that the acting user is still an active Account
/// Administrator of the account who has chosen their own password: a check made before the
/// transaction could be stale by now (demoted or disabled meanwhile: 403).
async fn lock_and_check_actor(tx: &mut Tx, account_id: i64, actor: Actor) -> Result<(), AppError> {
    query("UPDATE accounts SET api_access_enabled = api_access_enabled WHERE id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let Some(actor_id) = actor else {
        return Ok(());
    };
    let standing: Option<(String, Option<i64>, bool)> = query(
        "SELECT role, disabled_at, must_change_password FROM users WHERE id = $1 AND account_id = $2",
    )
    .bind(actor_id)
    .bind(account_id)
    .fetch_optional(&mut *tx)
    .await?;
    match standing {
        Some((role, None, false)) if role == Role::AccountAdmin.id() => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// **Add user**: stored with a temporary password (`password_hash`) that must be changed at
/// the first sign-in; audited. Returns the new user's key. An email already in use is the
/// **Email** field's problem (409).
pub async fn add(
    pool: &Db,
    account_id: i64,
    actor: Actor,
    user: &ValidNewUser,
    password_hash: &str,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin_write().await?;
    lock_and_check_actor(&mut tx, account_id, actor).await?;
    let id = query(
        "INSERT INTO users (account_id, email, name, role, password_hash, created_at,
                            must_change_password)
         VALUES ($1, $2, $3, $4, $5, $6, TRUE) RETURNING id",
    )
    .bind(account_id)
    .bind(user.email.as_str())
    .bind(user.name.as_str())
    .bind(user.role.id())
    .bind(password_hash)
    .bind(now)
    .scalar(&mut tx)
    .await
    .map_err(|error| match AppError::from(error) {
        AppError::Conflict(_) => AppError::UserFields(vec![UserFieldError {
            field: UserField::Email,
            problem: UserProblem::EmailTaken,
        }]),
        other => other,
    })?;
    let detail = AuditDetail {
        user: Some(contact_label(user.name.as_str(), user.email.as_str())),
        changes: vec![FieldChange {
            field: "Role".to_string(),
            before: String::new(),
            after: user.role.label().to_string(),
        }],
        ..AuditDetail::default()
    };
    record(
        &mut tx,
        account_id,
        actor,
        AuditAction::UserAdded,
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The user a change is made to, as stored.
#[derive(FromRow)]
struct Target {
    name: String,
    email: String,
    role: String,
    disabled_at: Option<i64>,
}

/// Makes `change` to user `user_id` of the account, if the account's rules allow it:
/// the last active Account Administrator stays one (422 with the reason). **Disable** and
/// **Reset password** (with `password_hash`, the temporary password's) end every session
/// of the user at once. Audited. Returns the user as shown ("name <email>").
pub async fn change(
    pool: &Db,
    account_id: i64,
    actor: Actor,
    user_id: i64,
    change: UserChange,
    password_hash: Option<&str>,
    now: i64,
) -> Result<String, AppError> {
    let mut tx = pool.begin_write().await?;
    lock_and_check_actor(&mut tx, account_id, actor).await?;
    let (target, role) = allowed_change(&mut tx, account_id, user_id, change).await?;
    let label = contact_label(&target.name, &target.email);
    let mut detail = AuditDetail {
        user: Some(label.clone()),
        ..AuditDetail::default()
    };
    let action = match change {
        UserChange::SetRole(new_role) => {
            query("UPDATE users SET role = $1 WHERE id = $2")
                .bind(new_role.id())
                .bind(user_id)
                .execute(&mut tx)
                .await?;
            detail.compare("Role", role.label(), new_role.label());
            AuditAction::UserRoleChanged
        }
        UserChange::Disable => {
            query("UPDATE users SET disabled_at = $1 WHERE id = $2")
                .bind(now)
                .bind(user_id)
                .execute(&mut tx)
                .await?;
            end_sessions(&mut tx, user_id, &mut detail).await?;
            AuditAction::UserDisabled
        }
        UserChange::Enable => {
            query("UPDATE users SET disabled_at = NULL WHERE id = $1")
                .bind(user_id)
                .execute(&mut tx)
                .await?;
            AuditAction::UserEnabled
        }
        UserChange::ResetPassword => {
            let hash = password_hash.ok_or(AppError::Internal)?;
            query("UPDATE users SET password_hash = $1, must_change_password = TRUE WHERE id = $2")
                .bind(hash)
                .bind(user_id)
                .execute(&mut tx)
                .await?;
            end_sessions(&mut tx, user_id, &mut detail).await?;
            AuditAction::UserPasswordReset
        }
    };
    record(&mut tx, account_id, actor, action, &detail, now).await?;
    tx.commit().await?;
    Ok(label)
}

/// The user `user_id` of the account and their role, if the account's rules allow `change`
/// to them now (counted inside the transaction, behind the account's lock).
async fn allowed_change(
    tx: &mut Tx,
    account_id: i64,
    user_id: i64,
    change: UserChange,
) -> Result<(Target, Role), AppError> {
    let target =
        query("SELECT name, email, role, disabled_at FROM users WHERE id = $1 AND account_id = $2")
            .bind(user_id)
            .bind(account_id)
            .fetch_optional::<Target>(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    let role = target
        .role
        .parse::<Role>()
        .map_err(|_| AppError::Internal)?;
    let standing = UserStanding {
        role,
        disabled: target.disabled_at.is_some(),
    };
    let active_admins: i64 = query(
        "SELECT COUNT(*) FROM users
         WHERE account_id = $1 AND role = 'account_admin' AND disabled_at IS NULL",
    )
    .bind(account_id)
    .scalar(&mut *tx)
    .await?;
    check_user_change(
        &target.name,
        standing,
        change,
        u64::try_from(active_admins).unwrap_or(0),
    )
    .map_err(|refusal: UserChangeRefusal| AppError::Refused(refusal.to_string()))?;
    Ok((target, role))
}

/// Ends every session of the user, noting how many there were in the audit detail.
async fn end_sessions(tx: &mut Tx, user_id: i64, detail: &mut AuditDetail) -> Result<(), AppError> {
    let ended = super::sessions::end_others_in(tx, user_id, None).await?;
    detail.compare("Signed-in sessions", &ended.to_string(), "0");
    Ok(())
}

async fn record(
    tx: &mut Tx,
    account_id: i64,
    actor: Actor,
    action: AuditAction,
    detail: &AuditDetail,
    at: i64,
) -> Result<(), AppError> {
    audit::record(
        tx,
        AuditEvent {
            account_id,
            token_id: None,
            actor_id: actor,
            action,
            detail,
            at,
        },
    )
    .await
}

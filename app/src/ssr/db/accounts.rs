//! Brand accounts.

use super::engine::{query, Db};
use crate::domain::{AccountName, AccountSid};
use crate::error::AppError;
use sqlx::FromRow;

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
    pool: &Db,
    sid: &AccountSid,
    name: &AccountName,
    now: i64,
) -> Result<AccountRow, AppError> {
    let row = query(
        "INSERT INTO accounts (sid, name, created_at) VALUES ($1, $2, $3)
         RETURNING id, sid, name, api_access_enabled, created_at",
    )
    .bind(sid.as_str())
    .bind(name.as_str())
    .bind(now)
    .fetch_one::<AccountRow>(pool)
    .await?;
    Ok(row)
}

/// The account with this SID, if any.
pub async fn find_by_sid(pool: &Db, sid: &str) -> Result<Option<AccountRow>, AppError> {
    Ok(
        query("SELECT id, sid, name, api_access_enabled, created_at FROM accounts WHERE sid = $1")
            .bind(sid)
            .fetch_optional::<AccountRow>(pool)
            .await?,
    )
}

/// The first account with this name, if any.
pub async fn find_by_name(pool: &Db, name: &str) -> Result<Option<AccountRow>, AppError> {
    Ok(query(
        "SELECT id, sid, name, api_access_enabled, created_at FROM accounts
         WHERE name = $1 ORDER BY id LIMIT 1",
    )
    .bind(name)
    .fetch_optional::<AccountRow>(pool)
    .await?)
}

/// The account with this key.
pub async fn get(pool: &Db, id: i64) -> Result<AccountRow, AppError> {
    Ok(
        query("SELECT id, sid, name, api_access_enabled, created_at FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_one::<AccountRow>(pool)
            .await?,
    )
}

/// Turns the account's API access on or off for `actor_id` and records the change as an
/// audit event of the account, in the same transaction. Returns whether the value
/// changed: switching to the value it already has writes nothing.
pub async fn set_api_access(
    pool: &Db,
    id: i64,
    actor_id: i64,
    enabled: bool,
    now: i64,
) -> Result<bool, AppError> {
    use super::audit::{self, AuditEvent};
    use crate::domain::audit::{AuditAction, AuditDetail};
    let mut tx = pool.begin_write().await?;
    super::standing::lock_and_check(
        &mut tx,
        id,
        actor_id,
        crate::domain::Permission::ManageTokens,
    )
    .await?;
    let current = query("SELECT api_access_enabled FROM accounts WHERE id = $1")
        .bind(id)
        .scalar_optional(&mut tx)
        .await?
        .ok_or(AppError::NotFound)?;
    if current == enabled {
        return Ok(false);
    }
    // Only from the value read: of two switches at once (possible where writers don't
    // queue), the second changes and records nothing.
    let changed = query(
        "UPDATE accounts SET api_access_enabled = $1 WHERE id = $2 AND api_access_enabled = $3",
    )
    .bind(enabled)
    .bind(id)
    .bind(current)
    .execute(&mut tx)
    .await?;
    if changed == 0 {
        return Ok(false);
    }
    let mut detail = AuditDetail::default();
    let shown = |on: bool| if on { "On" } else { "Off" };
    detail.compare("API access", shown(current), shown(enabled));
    audit::record(
        &mut tx,
        AuditEvent {
            account_id: id,
            token_id: None,
            actor_id: Some(actor_id),
            action: AuditAction::api_access(enabled),
            detail: &detail,
            at: now,
        },
    )
    .await?;
    tx.announce_change();
    tx.commit().await?;
    Ok(true)
}

#[derive(FromRow)]
struct PolicyRow {
    max_token_lifetime_days: Option<i64>,
    allow_never_expiring: bool,
}

/// The account's token policy.
pub async fn token_policy<'e>(
    db: impl Into<super::engine::Conn<'e>>,
    account_id: i64,
) -> Result<crate::domain::expiration::TokenPolicy, AppError> {
    let row =
        query("SELECT max_token_lifetime_days, allow_never_expiring FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one::<PolicyRow>(db)
            .await?;
    Ok(crate::domain::expiration::TokenPolicy {
        max_lifetime_days: row
            .max_token_lifetime_days
            .and_then(|days| u16::try_from(days).ok()),
        allow_never: row.allow_never_expiring,
    })
}

/// Sets the account's token policy for `actor_id`, audited in the same transaction;
/// whether it changed.
pub async fn set_token_policy(
    pool: &Db,
    id: i64,
    actor_id: i64,
    policy: crate::domain::expiration::TokenPolicy,
    now: i64,
) -> Result<bool, AppError> {
    use super::audit::{self, AuditEvent};
    use crate::domain::audit::{AuditAction, AuditDetail};
    let mut tx = pool.begin_write().await?;
    super::standing::lock_and_check(
        &mut tx,
        id,
        actor_id,
        crate::domain::Permission::SetTokenPolicy,
    )
    .await?;
    let current = token_policy(&mut tx, id).await?;
    if current == policy {
        return Ok(false);
    }
    query(
        "UPDATE accounts SET max_token_lifetime_days = $1, allow_never_expiring = $2
         WHERE id = $3",
    )
    .bind(policy.max_lifetime_days.map(i64::from))
    .bind(policy.allow_never)
    .bind(id)
    .execute(&mut tx)
    .await?;
    let mut detail = AuditDetail::default();
    let maximum = |p: crate::domain::expiration::TokenPolicy| {
        p.max_lifetime_days
            .map_or_else(|| "None".to_string(), |days| format!("{days} days"))
    };
    let never = |p: crate::domain::expiration::TokenPolicy| {
        if p.never_allowed() {
            "Allowed"
        } else {
            "Not allowed"
        }
        .to_string()
    };
    detail.compare("Maximum lifetime", &maximum(current), &maximum(policy));
    detail.compare("Tokens that never expire", &never(current), &never(policy));
    audit::record(
        &mut tx,
        AuditEvent {
            account_id: id,
            token_id: None,
            actor_id: Some(actor_id),
            action: AuditAction::TokenPolicyChanged,
            detail: &detail,
            at: now,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A live token of the account beyond its policy.
#[derive(Debug, Clone, FromRow)]
pub struct BeyondPolicy {
    pub sid: String,
    pub name: String,
    /// When it expires (`None`: never).
    pub expires_at: Option<i64>,
}

/// The account's live tokens that outlive `policy` as of `now` (made before it), newest
/// first, at most `limit`.
pub async fn beyond_policy(
    pool: &Db,
    id: i64,
    policy: crate::domain::expiration::TokenPolicy,
    now: i64,
    limit: i64,
) -> Result<Vec<BeyondPolicy>, AppError> {
    Ok(query(
        "SELECT sid, name, expires_at FROM tokens
         WHERE account_id = $1 AND deleted_at IS NULL
               AND ((expires_at IS NULL AND $2 = FALSE) OR expires_at > $3)
         ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(id)
    .bind(policy.never_allowed())
    .bind(policy.latest_expiry(now).unwrap_or(i64::MAX))
    .bind(limit)
    .fetch_all::<BeyondPolicy>(pool)
    .await?)
}

/// The account's **Token creation**.
pub async fn token_creation<'e>(
    db: impl Into<super::engine::Conn<'e>>,
    account_id: i64,
) -> Result<crate::domain::token_request::TokenCreation, AppError> {
    use crate::domain::token_request::TokenCreation;
    let stored: String = query("SELECT token_creation FROM accounts WHERE id = $1")
        .bind(account_id)
        .scalar(db)
        .await?;
    Ok(TokenCreation::from_id(&stored).unwrap_or_default())
}

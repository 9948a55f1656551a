//! Sign-ins through an identity provider: each waits for the provider's answer under the
//! SHA-256 of a cookie of its own, used once; then the identity it vouched for is found,
//! linked by verified email, or (with **Create users on first sign-in**) made a user.

use super::audit::{self, AuditEvent};
use super::engine::{query, Db};
use super::single_sign_on::{LOGINS_PER_ADDRESS, MAX_LOGINS};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::{EmailAddress, PersonName, Role};
use crate::error::AppError;
use sqlx::FromRow;

/// A sign-in sent to the provider. Deliberately not `Debug`: it holds the PKCE verifier.
#[derive(Clone, FromRow)]
pub struct Login {
    pub account_id: i64,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Where to go once signed in (a path of this site).
    pub next: String,
}

/// Why a sign-in can't wait for the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Full {
    Address,
    Table,
}

/// Keeps a sign-in until the provider answers; expired ones are swept first.
pub async fn keep(
    pool: &Db,
    id_hash: &[u8; 32],
    address: &str,
    login: &Login,
    expires_at: i64,
    now: i64,
) -> Result<Result<(), Full>, AppError> {
    let mut tx = pool.begin_write().await?;
    query("DELETE FROM sso_logins WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut tx)
        .await?;
    let waiting: i64 = query("SELECT COUNT(*) FROM sso_logins WHERE address = $1")
        .bind(address)
        .scalar(&mut tx)
        .await?;
    if waiting >= LOGINS_PER_ADDRESS {
        return Ok(Err(Full::Address));
    }
    let total: i64 = query("SELECT COUNT(*) FROM sso_logins")
        .scalar(&mut tx)
        .await?;
    if total >= MAX_LOGINS {
        return Ok(Err(Full::Table));
    }
    query(
        "INSERT INTO sso_logins (id_hash, account_id, address, state, nonce, pkce_verifier,
                                 next, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id_hash)
    .bind(login.account_id)
    .bind(address)
    .bind(login.state.as_str())
    .bind(login.nonce.as_str())
    .bind(login.pkce_verifier.as_str())
    .bind(login.next.as_str())
    .bind(expires_at)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// Takes the sign-in whose cookie hashes to `id_hash`, if it is still waiting: gone
/// afterwards, whatever the provider said.
pub async fn take(pool: &Db, id_hash: &[u8; 32], now: i64) -> Result<Option<Login>, AppError> {
    let mut tx = pool.begin_write().await?;
    let taken = query(
        "DELETE FROM sso_logins WHERE id_hash = $1
         RETURNING account_id, state, nonce, pkce_verifier, next, expires_at",
    )
    .bind(id_hash)
    .fetch_optional::<Taken>(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(taken.filter(|t| t.expires_at > now).map(|t| Login {
        account_id: t.account_id,
        state: t.state,
        nonce: t.nonce,
        pkce_verifier: t.pkce_verifier,
        next: t.next,
    }))
}

#[derive(FromRow)]
struct Taken {
    account_id: i64,
    state: String,
    nonce: String,
    pkce_verifier: String,
    next: String,
    expires_at: i64,
}

/// Who the provider vouched for.
pub struct Vouched<'a> {
    pub account_id: i64,
    pub issuer: &'a str,
    pub subject: &'a str,
    /// The email, only if the provider says it verified it.
    pub verified_email: Option<&'a EmailAddress>,
    pub name: Option<&'a str>,
}

/// The console user a sign-in opens a session for. Not `Debug`: it holds a password hash.
#[derive(Clone, FromRow)]
pub struct SsoUser {
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub disabled_at: Option<i64>,
}

/// What a provider's sign-in comes to.
pub enum Found {
    /// This user (linked before, linked now by verified email, or just made).
    User(SsoUser),
    /// Nobody in the account, and the account doesn't create users (or the provider did
    /// not verify the email).
    Nobody,
}

/// Finds the user the provider vouched for in the account: by the identity (issuer and
/// subject) linked before; else by verified email, linking the identity; else, when
/// `create_as` is given, a new user of that role (audited). One transaction.
pub async fn find_or_create(
    pool: &Db,
    vouched: &Vouched<'_>,
    create_as: Option<Role>,
    now: i64,
) -> Result<Found, AppError> {
    let mut tx = pool.begin_write().await?;
    let linked = query(
        "SELECT u.id AS user_id, u.email, u.name, u.password_hash, u.disabled_at
         FROM sso_identities i JOIN users u ON u.id = i.user_id
         WHERE i.issuer = $1 AND i.subject = $2 AND u.account_id = $3",
    )
    .bind(vouched.issuer)
    .bind(vouched.subject)
    .bind(vouched.account_id)
    .fetch_optional::<SsoUser>(&mut tx)
    .await?;
    if let Some(user) = linked {
        query("UPDATE sso_identities SET last_used_at = $1 WHERE issuer = $2 AND subject = $3")
            .bind(now)
            .bind(vouched.issuer)
            .bind(vouched.subject)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        return Ok(Found::User(user));
    }
    let Some(email) = vouched.verified_email else {
        return Ok(Found::Nobody);
    };
    let by_email = query(
        "SELECT id AS user_id, email, name, password_hash, disabled_at FROM users
         WHERE account_id = $1 AND LOWER(email) = LOWER($2)",
    )
    .bind(vouched.account_id)
    .bind(email.as_str())
    .fetch_optional::<SsoUser>(&mut tx)
    .await?;
    let user = match (by_email, create_as) {
        (Some(user), _) => user,
        (None, Some(role)) => create(&mut tx, vouched, email, role, now).await?,
        (None, None) => return Ok(Found::Nobody),
    };
    query(
        "INSERT INTO sso_identities (issuer, subject, user_id, created_at, last_used_at)
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(vouched.issuer)
    .bind(vouched.subject)
    .bind(user.user_id)
    .bind(now)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Found::User(user))
}

/// A new user the provider vouched for: their name from the provider (or their email's
/// local part), a password nobody knows (they sign in through the provider).
async fn create(
    tx: &mut super::engine::Tx,
    vouched: &Vouched<'_>,
    email: &EmailAddress,
    role: Role,
    now: i64,
) -> Result<SsoUser, AppError> {
    let local = email.as_str().split('@').next().unwrap_or_default();
    let name = vouched
        .name
        .and_then(|name| PersonName::parse(name).ok())
        .or_else(|| PersonName::parse(local).ok())
        .ok_or_else(|| AppError::Refused("The identity provider gave no usable name.".into()))?;
    let password_hash = crate::ssr::password::hash(&crate::ssr::random_cookie_value())?;
    let user_id: i64 = query(
        "INSERT INTO users (account_id, email, name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(vouched.account_id)
    .bind(email.as_str())
    .bind(name.as_str())
    .bind(role.id())
    .bind(password_hash.as_str())
    .bind(now)
    .scalar(&mut *tx)
    .await
    .map_err(|error| match AppError::from(error) {
        AppError::Conflict(_) => AppError::Conflict(format!(
            "{email} is a user of another account: ask an administrator of this one."
        )),
        other => other,
    })?;
    let detail = AuditDetail {
        user: Some(format!("{} <{email}> ({})", name.as_str(), role.label())),
        ..AuditDetail::default()
    };
    let event = AuditEvent {
        account_id: vouched.account_id,
        token_id: None,
        actor_id: Some(user_id),
        action: AuditAction::SsoUserCreated,
        detail: &detail,
        at: now,
    };
    audit::record(tx, event).await?;
    Ok(SsoUser {
        user_id,
        email: email.as_str().to_string(),
        name: name.as_str().to_string(),
        password_hash,
        disabled_at: None,
    })
}

/// Records a sign-in through the provider (or, for the break-glass administrator, a
/// password sign-in while single sign-on is required) as an audit event of the account.
pub async fn record_sign_in(
    pool: &Db,
    account_id: i64,
    user_id: i64,
    action: AuditAction,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(user_id),
        action,
        detail: &AuditDetail::default(),
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a break-glass administrator's password sign-in while single sign-on is required
/// (audited every time, and logged).
pub async fn record_break_glass(pool: &Db, user_id: i64) -> Result<(), AppError> {
    let account_id: i64 = query("SELECT account_id FROM users WHERE id = $1")
        .bind(user_id)
        .scalar(pool)
        .await?;
    let action = AuditAction::BreakGlassSignIn;
    record_sign_in(pool, account_id, user_id, action, crate::ssr::now()).await?;
    tracing::warn!(
        user_id,
        "break-glass password sign-in while single sign-on is required"
    );
    Ok(())
}

//! An account's single sign-on: its identity provider's settings, the identities the
//! provider vouched for, and sign-ins waiting for its answer (single-use, 10 minutes,
//! bounded per address and in all).

use super::audit::{self, AuditEvent};
use super::engine::{query, Db};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::single_sign_on::{SsoOverview, SsoSettings};
use crate::domain::{Permission, Role};
use crate::error::AppError;
use sqlx::FromRow;

/// Sign-ins one client address may have waiting for the provider.
pub const LOGINS_PER_ADDRESS: i64 = 20;
/// Sign-ins waiting at once, in all.
pub const MAX_LOGINS: i64 = 10_000;

/// The provider's settings as stored. Deliberately not `Debug`: it holds the secret.
#[derive(Clone, FromRow)]
pub struct SsoConfig {
    pub account_id: i64,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub create_users: bool,
    pub default_role: String,
    pub required: bool,
    pub break_glass_user_id: Option<i64>,
}

impl SsoConfig {
    /// What the Users page shows.
    pub fn overview(&self) -> SsoOverview {
        SsoOverview {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            create_users: self.create_users,
            default_role: self.default_role.parse().unwrap_or(Role::Analyst),
            required: self.required,
            break_glass_user_id: self.break_glass_user_id,
        }
    }
}

/// The account's single sign-on, if it is set up.
pub async fn config(pool: &Db, account_id: i64) -> Result<Option<SsoConfig>, AppError> {
    Ok(query(
        "SELECT account_id, issuer, client_id, client_secret, create_users, default_role,
                required, break_glass_user_id
         FROM sso_configs WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional::<SsoConfig>(pool)
    .await?)
}

/// Whether single sign-on is required of `user_id` (their account requires it and they
/// are not its break-glass administrator); `Some(false)`: they are the break-glass one.
pub async fn required_of(pool: &Db, user_id: i64) -> Result<Option<bool>, AppError> {
    let found: Option<(bool, Option<i64>)> = query(
        "SELECT c.required, c.break_glass_user_id FROM sso_configs c
         JOIN users u ON u.account_id = c.account_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional::<Required>(pool)
    .await?
    .map(|row| (row.required, row.break_glass_user_id));
    Ok(match found {
        Some((true, glass)) => Some(glass != Some(user_id)),
        _ => None,
    })
}

#[derive(FromRow)]
struct Required {
    required: bool,
    break_glass_user_id: Option<i64>,
}

/// Saves the account's single sign-on for administrator `actor_id`, audited with what
/// changed (never the secret itself). A new set-up needs a secret; **Require single
/// sign-on** needs a break-glass Account Administrator of the account who is not disabled.
pub async fn save(
    pool: &Db,
    account_id: i64,
    actor_id: i64,
    settings: &SsoSettings,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    super::standing::lock_and_check(&mut tx, account_id, actor_id, Permission::ManageUsers).await?;
    let before = query(
        "SELECT account_id, issuer, client_id, client_secret, create_users, default_role,
                required, break_glass_user_id
         FROM sso_configs WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_optional::<SsoConfig>(&mut tx)
    .await?;
    let secret = match (&settings.client_secret, &before) {
        (Some(secret), _) => secret.clone(),
        (None, Some(before)) => before.client_secret.clone(),
        (None, None) => {
            return Err(AppError::Refused(
                "Enter the client secret your identity provider issued for Tokensmith.".to_string(),
            ))
        }
    };
    if settings.required {
        let Some(glass) = settings.break_glass_user_id else {
            return Err(AppError::Refused(
                "Choose a break-glass administrator: the one person who may still sign in \
                 with a password if the identity provider is down."
                    .to_string(),
            ));
        };
        let admin: i64 = query(
            "SELECT COUNT(*) FROM users WHERE id = $1 AND account_id = $2
             AND role = 'account_admin' AND disabled_at IS NULL",
        )
        .bind(glass)
        .bind(account_id)
        .scalar(&mut tx)
        .await?;
        if admin == 0 {
            return Err(AppError::Refused(
                "The break-glass administrator must be an enabled Account Administrator of \
                 this account."
                    .to_string(),
            ));
        }
    }
    query(
        "INSERT INTO sso_configs (account_id, issuer, client_id, client_secret, create_users,
                                  default_role, required, break_glass_user_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (account_id) DO UPDATE SET issuer = $2, client_id = $3, client_secret = $4,
           create_users = $5, default_role = $6, required = $7, break_glass_user_id = $8,
           updated_at = $9",
    )
    .bind(account_id)
    .bind(settings.issuer.as_str())
    .bind(settings.client_id.as_str())
    .bind(secret.as_str())
    .bind(settings.create_users)
    .bind(settings.default_role.id())
    .bind(settings.required)
    .bind(settings.break_glass_user_id)
    .bind(now)
    .execute(&mut tx)
    .await?;
    let detail = changes(before.as_ref(), settings);
    if detail.changes.is_empty() {
        return Ok(());
    }
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(actor_id),
        action: AuditAction::SsoSettingsChanged,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}

/// Turns the account's single sign-on off (passwords work again for everyone); audited.
/// 404 if it was not set up.
pub async fn remove(pool: &Db, account_id: i64, actor_id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    super::standing::lock_and_check(&mut tx, account_id, actor_id, Permission::ManageUsers).await?;
    let issuer: Option<String> =
        query("DELETE FROM sso_configs WHERE account_id = $1 RETURNING issuer")
            .bind(account_id)
            .scalar_optional(&mut tx)
            .await?;
    let Some(issuer) = issuer else {
        return Err(AppError::NotFound);
    };
    let mut detail = AuditDetail::default();
    detail.compare("Identity provider", &issuer, "Off");
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(actor_id),
        action: AuditAction::SsoSettingsChanged,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(())
}

fn changes(before: Option<&SsoConfig>, after: &SsoSettings) -> AuditDetail {
    let yes = |on: bool| if on { "On" } else { "Off" };
    let glass = |id: Option<i64>| id.map_or(String::new(), |id| format!("user {id}"));
    let mut detail = AuditDetail::default();
    let was = before.map(SsoConfig::overview);
    let text = |f: fn(&SsoOverview) -> String| was.as_ref().map(f).unwrap_or_default();
    detail.compare("Issuer URL", &text(|o| o.issuer.clone()), &after.issuer);
    detail.compare(
        "Client ID",
        &text(|o| o.client_id.clone()),
        &after.client_id,
    );
    if after.client_secret.is_some() {
        detail.compare("Client secret", "", "(replaced)");
    }
    let old_create = was.as_ref().is_some_and(|o| o.create_users);
    detail.compare(
        "Create users on first sign-in",
        yes(old_create),
        yes(after.create_users),
    );
    let old_role = text(|o| o.default_role.label().to_string());
    detail.compare("Default role", &old_role, after.default_role.label());
    let old_required = was.as_ref().is_some_and(|o| o.required);
    detail.compare(
        "Require single sign-on",
        yes(old_required),
        yes(after.required),
    );
    let old_glass = glass(was.as_ref().and_then(|o| o.break_glass_user_id));
    detail.compare(
        "Break-glass administrator",
        &old_glass,
        &glass(after.break_glass_user_id),
    );
    detail
}

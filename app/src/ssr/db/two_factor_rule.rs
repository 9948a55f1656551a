//! The account's **Require two-factor authentication** rule.

use super::audit::{self, AuditEvent};
use super::engine::{query, Db};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::second_factor::TwoFactorRule;
use crate::domain::Permission;
use crate::error::AppError;

/// Sets the rule of account `account_id` for administrator `actor_id`, audited in the same
/// transaction; whether it changed. Turning it on needs the administrator to have a second
/// factor themselves (422), so the rule can't lock out whoever sets it.
pub async fn set(
    pool: &Db,
    account_id: i64,
    actor_id: i64,
    rule: TwoFactorRule,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    super::standing::lock_and_check(&mut tx, account_id, actor_id, Permission::ManageUsers).await?;
    let current: String = query("SELECT require_two_factor FROM accounts WHERE id = $1")
        .bind(account_id)
        .scalar(&mut tx)
        .await?;
    let current = TwoFactorRule::from_id(&current).unwrap_or_default();
    if current == rule {
        return Ok(false);
    }
    if rule != TwoFactorRule::Off {
        let has_factor: i64 = query(
            "SELECT (SELECT COUNT(*) FROM totp_factors
                     WHERE user_id = $1 AND confirmed_at IS NOT NULL)
                  + (SELECT COUNT(*) FROM passkeys WHERE user_id = $1)",
        )
        .bind(actor_id)
        .scalar(&mut tx)
        .await?;
        if has_factor == 0 {
            return Err(AppError::Refused(
                "Add a passkey or set up an authenticator app for yourself first (Security, in \
                 your user menu): then requiring two-factor authentication can't lock you out."
                    .to_string(),
            ));
        }
    }
    query("UPDATE accounts SET require_two_factor = $1 WHERE id = $2")
        .bind(rule.id())
        .bind(account_id)
        .execute(&mut tx)
        .await?;
    let mut detail = AuditDetail::default();
    detail.compare("Two-factor authentication", current.label(), rule.label());
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(actor_id),
        action: AuditAction::TwoFactorRuleChanged,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(true)
}

//! The writes of each kind of change, with what each changed for the audit trail.

use super::super::engine::{query, Tx};
use super::super::token_detail::{self, TokenRow};
use super::{AppliedChange, ChangeRequest};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::expiration::{format_instant, Expiration};
use crate::domain::ip_allowlist::IpAllowlist;
use crate::domain::limits::Limits;
use crate::domain::wizard::{Field, FieldError, Problem};
use crate::domain::{check_upgrade, contact_label, Actor, ApiVersion, Overlap, ScopeSet};
use crate::error::AppError;

/// Name and description; a new name must be free in the account.
pub(super) async fn overview(
    tx: &mut Tx,
    actor: &Actor,
    token: &TokenRow,
    name: &str,
    description: &str,
) -> Result<Option<AppliedChange>, AppError> {
    if !name.eq_ignore_ascii_case(&token.name) {
        super::super::tokens::name_free(tx, actor.account_id, Some(token.id), name).await?;
    }
    let mut detail = AuditDetail::default();
    detail.compare("Name", &token.name, name);
    detail.compare("Description", &token.description, description);
    if detail.is_empty() {
        return Ok(None);
    }
    query("UPDATE tokens SET name = $1, description = $2, name_folded = $3 WHERE id = $4")
        .bind(name)
        .bind(description)
        .bind(crate::domain::token_filter::fold_name(name))
        .bind(token.id)
        .execute(&mut *tx)
        .await
        .map_err(super::super::tokens::name_race)?;
    Ok(Some(AppliedChange {
        action: AuditAction::Edited,
        detail,
        name: name.to_string(),
    }))
}

/// The token's scopes become `scopes`.
pub(super) async fn scopes(
    tx: &mut Tx,
    token: &TokenRow,
    scopes: &ScopeSet,
    detail: &mut AuditDetail,
) -> Result<Option<AuditAction>, AppError> {
    let after: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    let before = token_detail::scopes(&mut *tx, token.id).await?;
    detail.compare_scopes(
        before.iter().map(String::as_str),
        after.iter().map(String::as_str),
    );
    query("DELETE FROM token_scopes WHERE token_id = $1")
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    for scope in &after {
        query("INSERT INTO token_scopes (token_id, scope) VALUES ($1, $2)")
            .bind(token.id)
            .bind(scope)
            .execute(&mut *tx)
            .await?;
    }
    Ok(Some(AuditAction::ScopesChanged))
}

/// **Reset**: a new secret; the current one becomes the old secret for the overlap (none:
/// it stops now, and so does an earlier overlap's old secret). A revoked secret, or one of
/// an exposed token, is never kept working. The new secret ends the exposure.
pub(super) async fn reset(
    tx: &mut Tx,
    token: &TokenRow,
    request: &ChangeRequest<'_>,
    keep_old_for: Option<Overlap>,
    detail: &mut AuditDetail,
) -> Result<Option<AuditAction>, AppError> {
    let Some(secret) = &request.new_secret else {
        tracing::error!("reset without a new secret");
        return Err(AppError::Internal);
    };
    let keep_old_for =
        keep_old_for.filter(|_| token.secret_revoked_at.is_none() && token.exposed_at.is_none());
    let old_until = keep_old_for.map(|overlap| request.now + overlap.seconds());
    query(
        "UPDATE tokens SET
             old_secret_hash = CASE WHEN CAST($5 AS BIGINT) IS NULL THEN NULL ELSE secret_hash END,
             old_secret_until = $5, secret_revoked_at = NULL,
             exposed_at = NULL, exposed_url = NULL, exposed_by = NULL, exposed_hash = NULL,
             secret_hash = $1, secret_last4 = $2, secret_issued_at = $3
         WHERE id = $4",
    )
    .bind(secret.secret_hash)
    .bind(secret.secret_last4)
    .bind(request.now)
    .bind(token.id)
    .bind(old_until)
    .execute(&mut *tx)
    .await?;
    if let Some(until) = old_until {
        let works_until = format!("works until {}", format_instant(until));
        detail.compare("Old secret", "", &works_until);
    }
    Ok(Some(AuditAction::Reset))
}

/// A higher API version.
pub(super) async fn upgrade_version(
    tx: &mut Tx,
    token: &TokenRow,
    to: ApiVersion,
    detail: &mut AuditDetail,
) -> Result<Option<AuditAction>, AppError> {
    let current = u8::try_from(token.api_version).unwrap_or(u8::MAX);
    check_upgrade(current, to).map_err(|e| AppError::Validation(vec![e]))?;
    let to = i64::from(to.get());
    detail.compare(
        "API version",
        &token.api_version.to_string(),
        &to.to_string(),
    );
    query("UPDATE tokens SET api_version = $1 WHERE id = $2")
        .bind(to)
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    Ok(Some(AuditAction::VersionUpgraded))
}

/// **Enable** or **Disable**; nothing when it already is. A token whose secret was revoked
/// or reported exposed is enabled only after a Reset.
pub(super) async fn set_enabled(
    tx: &mut Tx,
    token: &TokenRow,
    enabled: bool,
) -> Result<Option<AuditAction>, AppError> {
    if enabled == token.enabled {
        return Ok(None);
    }
    if enabled && token.exposed_at.is_some() {
        return Err(AppError::Conflict(
            "Its Auth Token was found in public: Reset the token to issue a new secret, then \
             enable it."
                .to_string(),
        ));
    }
    if enabled && token.secret_revoked_at.is_some() {
        return Err(AppError::Conflict(
            "Its Auth Token was revoked (by whoever held it, or because it was exposed): \
             Reset the token to issue a new secret, then enable it."
                .to_string(),
        ));
    }
    query("UPDATE tokens SET enabled = $1 WHERE id = $2")
        .bind(enabled)
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    Ok(Some(if enabled {
        AuditAction::Enabled
    } else {
        AuditAction::Disabled
    }))
}

/// Where the token may be used from.
pub(super) async fn allowed_ips(
    tx: &mut Tx,
    token: &TokenRow,
    list: &IpAllowlist,
    detail: &mut AuditDetail,
) -> Result<Option<AuditAction>, AppError> {
    let before = IpAllowlist::from_stored(&token.allowed_ips);
    let shown = |list: &IpAllowlist| {
        if list.is_empty() {
            "Any address".to_string()
        } else {
            list.entries().join(", ")
        }
    };
    detail.compare("Allowed IP addresses", &shown(&before), &shown(list));
    query("UPDATE tokens SET allowed_ips = $1 WHERE id = $2")
        .bind(list.to_stored())
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    Ok(Some(AuditAction::AllowedIpsChanged))
}

/// Its rate limit and quota, applied to the very next call (the change empties every
/// instance's token cache). A quota's window of calls spent is kept while only its number
/// changes, and starts again when a quota is added or its refill changes.
/// What a Limits change asks for.
pub(super) struct LimitsAsked<'a> {
    pub(super) limits: &'a Limits,
    pub(super) budget: Option<i64>,
    pub(super) now: i64,
}

pub(super) async fn limits(
    tx: &mut Tx,
    account_id: i64,
    token: &TokenRow,
    asked: LimitsAsked<'_>,
    detail: &mut AuditDetail,
) -> Result<Option<AuditAction>, AppError> {
    let LimitsAsked {
        limits,
        budget,
        now,
    } = asked;
    let budget_name = match budget {
        None => None,
        Some(id) => match super::super::budgets::find(&mut *tx, account_id, id).await? {
            Some(found) => Some(found.name),
            None => {
                return Err(AppError::Validation(vec![FieldError {
                    field: Field::Budget,
                    problem: Problem::BudgetUnknown,
                }]))
            }
        },
    };
    let words = |name: &Option<String>| name.clone().unwrap_or_else(|| "None".to_string());
    detail.compare("Budget", &words(&token.budget_name), &words(&budget_name));
    // Held to the account's ceilings as they are in `tx`.
    super::super::limits_policy::check(&mut *tx, account_id, limits).await?;
    let before = token.limits();
    detail.compare("Rate limit", &before.rate_words(), &limits.rate_words());
    detail.compare("Quota", &before.quota_words(), &limits.quota_words());
    let same_window = match (before.quota, limits.quota) {
        (Some(old), Some(new)) => old.refill == new.refill,
        _ => false,
    };
    // Its contacts hear of 90 % and of a spent quota again, measured against the new one.
    // Its quota windows' rows before its own: a lease crossing 90 % locks them in that
    // order too (PostgreSQL), so the two never wait on each other the other way round.
    query(
        "UPDATE quota_windows SET warned_near_at = NULL, warned_spent_at = NULL WHERE owner = $1",
    )
    .bind(token.id)
    .execute(&mut *tx)
    .await?;
    let since = if same_window {
        token.quota_since
    } else {
        limits.quota.map(|_| now)
    };
    query(
        "UPDATE tokens SET rate_requests = $1, rate_per = $2, quota_calls = $3,
                           quota_refill = $4, quota_since = $5, quota_near_until = NULL,
                           budget_id = $6
         WHERE id = $7",
    )
    .bind(limits.rate.map(|r| i64::from(r.requests)))
    .bind(limits.rate.map(|r| r.per.id()))
    .bind(limits.quota.map(|q| q.calls as i64))
    .bind(limits.quota.map(|q| q.refill.id()))
    .bind(since)
    .bind(budget)
    .bind(token.id)
    .execute(&mut *tx)
    .await?;
    Ok(Some(AuditAction::LimitsChanged))
}

/// A new expiration, within the account's policy as it is in `tx`; new warnings for it.
pub(super) async fn renew(
    tx: &mut Tx,
    actor: &Actor,
    token: &TokenRow,
    (expiration, now): (&Expiration, i64),
    detail: &mut AuditDetail,
) -> Result<Option<AuditAction>, AppError> {
    let policy = super::super::accounts::token_policy(&mut *tx, actor.account_id).await?;
    let expires_at = expiration.resolve(now, policy).map_err(|problem| {
        AppError::Validation(vec![FieldError {
            field: Field::Expiration,
            problem: Problem::Expiration(problem),
        }])
    })?;
    let shown = |at: Option<i64>| at.map_or_else(|| "Never".to_string(), format_instant);
    detail.compare("Expiration", &shown(token.expires_at), &shown(expires_at));
    query(
        "UPDATE tokens SET expires_at = $1, warned_week_at = NULL, warned_day_at = NULL
         WHERE id = $2",
    )
    .bind(expires_at)
    .bind(token.id)
    .execute(&mut *tx)
    .await?;
    Ok(Some(AuditAction::Renewed))
}

/// Ends a Reset's overlap now; nothing when no old secret is working.
pub(super) async fn revoke_old_secret(
    tx: &mut Tx,
    token: &TokenRow,
    now: i64,
) -> Result<Option<AuditAction>, AppError> {
    let ended = query(
        "UPDATE tokens SET old_secret_hash = NULL, old_secret_until = NULL
         WHERE id = $1 AND old_secret_hash IS NOT NULL AND old_secret_until > $2",
    )
    .bind(token.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok((ended > 0).then_some(AuditAction::OldSecretRevoked))
}

/// **Delete**: the token stops working and leaves the list; its record stays.
pub(super) async fn delete(
    tx: &mut Tx,
    token: &TokenRow,
    now: i64,
) -> Result<Option<AuditAction>, AppError> {
    query("UPDATE tokens SET deleted_at = $1, enabled = FALSE WHERE id = $2")
        .bind(now)
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    Ok(Some(AuditAction::Deleted))
}

/// The primary contact (an active user of the account) and the developer emails.
pub(super) async fn contacts(
    tx: &mut Tx,
    actor: &Actor,
    token: &TokenRow,
    (primary_contact, developer_emails): (i64, &[crate::domain::EmailAddress]),
    detail: &mut AuditDetail,
) -> Result<Option<AuditAction>, AppError> {
    let (name, email) =
        super::super::users::contact_in_account(&mut *tx, actor.account_id, primary_contact)
            .await?;
    detail.compare(
        "Primary contact",
        &contact_label(&token.contact_name, &token.contact_email),
        &contact_label(&name, &email),
    );
    let before = token_detail::developer_emails(&mut *tx, token.id).await?;
    let after: Vec<String> = developer_emails.iter().map(|e| e.to_string()).collect();
    detail.compare("Developer emails", &before.join(", "), &after.join(", "));
    query("UPDATE tokens SET primary_contact_id = $1 WHERE id = $2")
        .bind(primary_contact)
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    query("DELETE FROM token_developer_emails WHERE token_id = $1")
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    for (position, email) in after.iter().enumerate() {
        query("INSERT INTO token_developer_emails (token_id, position, email) VALUES ($1, $2, $3)")
            .bind(token.id)
            .bind(position as i64)
            .bind(email)
            .execute(&mut *tx)
            .await?;
    }
    Ok(Some(AuditAction::ContactsChanged))
}

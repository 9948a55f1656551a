//! Applies one change from the detail page: checks the version the user saw, writes the
//! change, its audit event and its notifications in one transaction.

use super::engine::{query, Db, Tx};
use super::token_detail::{self, TokenRow};
use super::token_record::{record_change, RecordedChange};
use super::tokens::StoredCredentials;
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::expiration::format_instant;
use crate::domain::notice::{self, TokenEvent};
use crate::domain::Actor;
use crate::domain::{check_upgrade, contact_label, TokenSid, ValidChange};
use crate::error::AppError;

/// What a change asks of the database.
pub struct ChangeRequest<'a> {
    /// The token.
    pub sid: &'a TokenSid,
    /// The version the user's page showed.
    pub seen_version: i64,
    /// The change.
    pub change: &'a ValidChange,
    /// For **Reset**: what is stored of the new secret.
    pub new_secret: Option<StoredCredentials<'a>>,
    /// Unix seconds.
    pub now: i64,
}

/// The message for a stale edit.
pub fn stale_message(current: i64) -> String {
    format!(
        "Someone else changed this token while you had it open (it is now at revision {current}). \
         Reload the page to see their changes, then make yours again."
    )
}

/// Applies `request` for `actor`; returns the token's new version.
pub async fn apply(pool: &Db, actor: &Actor, request: ChangeRequest<'_>) -> Result<i64, AppError> {
    let mut tx = pool.begin_write().await?;
    super::standing::lock_and_check(
        &mut tx,
        actor.account_id,
        actor.user_id,
        crate::domain::Permission::ManageTokens,
    )
    .await?;
    let Some(token) = token_detail::find(&mut tx, actor.account_id, request.sid).await? else {
        return Err(AppError::NotFound);
    };
    if token.version != request.seen_version {
        return Err(AppError::Conflict(stale_message(token.version)));
    }
    // Contacts taken off the token hear about it too.
    let before_recipients = recipients(&mut tx, token.id).await?;
    let Some(written) = write(&mut tx, actor, &token, &request).await? else {
        // Saving what is already stored changes nothing and tells nobody.
        return Ok(token.version);
    };
    let version = next_version(&mut tx, &token, request.now).await?;
    let mut recipients = recipients(&mut tx, token.id).await?;
    recipients.extend(before_recipients);
    let about = TokenEvent {
        token_name: &written.name,
        sid: &token.sid,
        action: written.action,
        detail: &written.detail,
    };
    let messages = notice::messages(about, actor, recipients);
    let change = RecordedChange {
        account_id: actor.account_id,
        token_id: token.id,
        actor_id: Some(actor.user_id),
        action: written.action,
        detail: &written.detail,
        at: request.now,
        messages: &messages,
    };
    record_change(&mut tx, change).await?;
    tx.announce_change();
    tx.commit().await?;
    Ok(version)
}

/// What a change wrote: its kind, before and after, and the token's name after it.
struct AppliedChange {
    action: AuditAction,
    detail: AuditDetail,
    name: String,
}

impl AppliedChange {
    fn new(token: &TokenRow, action: AuditAction, detail: AuditDetail) -> Option<Self> {
        Some(Self {
            action,
            detail,
            name: token.name.clone(),
        })
    }
}

/// Writes the change itself; `None` when it changes nothing.
async fn write(
    tx: &mut Tx,
    actor: &Actor,
    token: &TokenRow,
    request: &ChangeRequest<'_>,
) -> Result<Option<AppliedChange>, AppError> {
    let mut detail = AuditDetail::default();
    let action = match request.change {
        ValidChange::Overview { name, description } => {
            return overview(tx, actor, token, name.as_str(), description.as_str()).await;
        }
        ValidChange::UpgradeVersion(to) => {
            let current = u8::try_from(token.api_version).unwrap_or(u8::MAX);
            check_upgrade(current, *to).map_err(|e| AppError::Validation(vec![e]))?;
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
            AuditAction::VersionUpgraded
        }
        ValidChange::Contacts {
            primary_contact,
            developer_emails,
        } => {
            let contact = (*primary_contact, developer_emails.as_slice());
            change_contacts(tx, actor, token, contact, &mut detail).await?;
            AuditAction::ContactsChanged
        }
        ValidChange::Scopes(scopes) => {
            let after: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
            replace_scopes(tx, token, &after, &mut detail).await?;
            AuditAction::ScopesChanged
        }
        ValidChange::SetEnabled(enabled) if *enabled == token.enabled => return Ok(None),
        ValidChange::SetEnabled(true) if token.secret_revoked_at.is_some() => {
            return Err(AppError::Conflict(
                "Its Auth Token was revoked by whoever held it: Reset the token to issue a new \
                 secret, then enable it."
                    .to_string(),
            ));
        }
        ValidChange::SetEnabled(enabled) => {
            query("UPDATE tokens SET enabled = $1 WHERE id = $2")
                .bind(enabled)
                .bind(token.id)
                .execute(&mut *tx)
                .await?;
            if *enabled {
                AuditAction::Enabled
            } else {
                AuditAction::Disabled
            }
        }
        ValidChange::Reset { keep_old_for } => {
            // A secret its holder revoked is never kept working.
            let keep_old_for = keep_old_for.filter(|_| token.secret_revoked_at.is_none());
            let until = keep_old_for.map(|overlap| request.now + overlap.seconds());
            reset(tx, token, request, until).await?;
            if let Some(until) = until {
                detail.compare(
                    "Old secret",
                    "",
                    &format!("works until {}", format_instant(until)),
                );
            }
            AuditAction::Reset
        }
        ValidChange::AllowedIps(list) => {
            let before = crate::domain::ip_allowlist::IpAllowlist::from_stored(&token.allowed_ips);
            let shown = |list: &crate::domain::ip_allowlist::IpAllowlist| {
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
            AuditAction::AllowedIpsChanged
        }
        ValidChange::Renew(expiration) => {
            let policy = super::accounts::token_policy(&mut *tx, actor.account_id).await?;
            let expires_at = expiration.resolve(request.now, policy).map_err(|problem| {
                AppError::Validation(vec![crate::domain::wizard::FieldError {
                    field: crate::domain::wizard::Field::Expiration,
                    problem: crate::domain::wizard::Problem::Expiration(problem),
                }])
            })?;
            let shown = |at: Option<i64>| at.map_or_else(|| "Never".to_string(), format_instant);
            detail.compare("Expiration", &shown(token.expires_at), &shown(expires_at));
            // New warnings for the new end.
            query(
                "UPDATE tokens SET expires_at = $1, warned_week_at = NULL, warned_day_at = NULL
                 WHERE id = $2",
            )
            .bind(expires_at)
            .bind(token.id)
            .execute(&mut *tx)
            .await?;
            AuditAction::Renewed
        }
        ValidChange::RevokeOldSecret => {
            let ended = query(
                "UPDATE tokens SET old_secret_hash = NULL, old_secret_until = NULL
                 WHERE id = $1 AND old_secret_hash IS NOT NULL AND old_secret_until > $2",
            )
            .bind(token.id)
            .bind(request.now)
            .execute(&mut *tx)
            .await?;
            if ended == 0 {
                // No old secret is working: nothing to revoke, nobody to tell.
                return Ok(None);
            }
            AuditAction::OldSecretRevoked
        }
        ValidChange::Delete => {
            query("UPDATE tokens SET deleted_at = $1, enabled = FALSE WHERE id = $2")
                .bind(request.now)
                .bind(token.id)
                .execute(&mut *tx)
                .await?;
            AuditAction::Deleted
        }
    };
    let edits = matches!(
        action,
        AuditAction::ContactsChanged
            | AuditAction::ScopesChanged
            | AuditAction::AllowedIpsChanged
            | AuditAction::Renewed
    );
    if edits && detail.is_empty() {
        return Ok(None);
    }
    Ok(AppliedChange::new(token, action, detail))
}

/// Name and description; a new name must be free in the account.
async fn overview(
    tx: &mut Tx,
    actor: &Actor,
    token: &TokenRow,
    name: &str,
    description: &str,
) -> Result<Option<AppliedChange>, AppError> {
    if !name.eq_ignore_ascii_case(&token.name) {
        super::tokens::name_free(tx, actor.account_id, Some(token.id), name).await?;
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
        .map_err(super::tokens::name_race)?;
    Ok(Some(AppliedChange {
        action: AuditAction::Edited,
        detail,
        name: name.to_string(),
    }))
}

/// The token's scopes become `after`.
async fn replace_scopes(
    tx: &mut Tx,
    token: &TokenRow,
    after: &[String],
    detail: &mut AuditDetail,
) -> Result<(), AppError> {
    let before = token_detail::scopes(&mut *tx, token.id).await?;
    detail.compare_scopes(
        before.iter().map(String::as_str),
        after.iter().map(String::as_str),
    );
    query("DELETE FROM token_scopes WHERE token_id = $1")
        .bind(token.id)
        .execute(&mut *tx)
        .await?;
    for scope in after {
        query("INSERT INTO token_scopes (token_id, scope) VALUES ($1, $2)")
            .bind(token.id)
            .bind(scope)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}

/// **Reset**: the new secret's hash replaces the old one.
/// A new secret; the current one becomes the old secret until `old_until` (none: it stops
/// now, and so does an earlier overlap's old secret).
async fn reset(
    tx: &mut Tx,
    token: &TokenRow,
    request: &ChangeRequest<'_>,
    old_until: Option<i64>,
) -> Result<(), AppError> {
    let Some(secret) = &request.new_secret else {
        tracing::error!("reset without a new secret");
        return Err(AppError::Internal);
    };
    query(
        "UPDATE tokens SET
             old_secret_hash = CASE WHEN $5 IS NULL THEN NULL ELSE secret_hash END,
             old_secret_until = $5, secret_revoked_at = NULL,
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
    Ok(())
}

/// Raises the token's revision, only from the one this change started at: a change that
/// got in between (possible on engines whose writers don't queue) makes this one a 409.
async fn next_version(tx: &mut Tx, token: &TokenRow, now: i64) -> Result<i64, AppError> {
    let version: Option<i64> = query(
        "UPDATE tokens SET version = version + 1, updated_at = $1
         WHERE id = $2 AND version = $3 RETURNING version",
    )
    .bind(now)
    .bind(token.id)
    .bind(token.version)
    .scalar_optional(&mut *tx)
    .await?;
    version.ok_or_else(|| AppError::Conflict(stale_message(token.version + 1)))
}

async fn change_contacts(
    tx: &mut Tx,
    actor: &Actor,
    token: &TokenRow,
    (primary_contact, developer_emails): (i64, &[crate::domain::EmailAddress]),
    detail: &mut AuditDetail,
) -> Result<(), AppError> {
    let (name, email) =
        super::users::contact_in_account(&mut *tx, actor.account_id, primary_contact).await?;
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
    Ok(())
}

/// The token's primary contact and developer emails, as they are now in `tx`.
pub(super) async fn recipients(tx: &mut Tx, token_id: i64) -> Result<Vec<String>, AppError> {
    let mut list: Vec<String> = query(
        "SELECT u.email FROM tokens t JOIN users u ON u.id = t.primary_contact_id WHERE t.id = $1",
    )
    .bind(token_id)
    .scalars(&mut *tx)
    .await?;
    list.extend(token_detail::developer_emails(&mut *tx, token_id).await?);
    Ok(list)
}

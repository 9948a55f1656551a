//! Applies one change from the detail page: checks the version the user saw, writes the
//! change, its audit event and its notifications in one transaction.

use super::engine::{query, Db, Tx};

mod edits;

use super::token_detail::{self, TokenRow};
use super::token_record::{record_change, RecordedChange};
use super::tokens::StoredCredentials;
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::notice::{self, TokenEvent};
use crate::domain::Actor;
use crate::domain::{TokenSid, ValidChange};
use crate::error::AppError;

/// What a change asks of the database.
pub struct ChangeRequest<'a> {
    /// The token.
    pub sid: &'a TokenSid,
    /// The version the user's page showed.
    pub seen_version: i64,
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
pub(super) struct AppliedChange {
    pub(super) action: AuditAction,
    pub(super) detail: AuditDetail,
    pub(super) name: String,
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
    let now = request.now;
    let action = match request.change {
        ValidChange::Overview { name, description } => {
            let (name, description) = (name.as_str(), description.as_str());
            return edits::overview(tx, actor, token, name, description).await;
        }
        ValidChange::UpgradeVersion(to) => {
            edits::upgrade_version(tx, token, *to, &mut detail).await?
        }
        ValidChange::Contacts {
            primary_contact,
            developer_emails,
        } => {
            let contact = (*primary_contact, developer_emails.as_slice());
            edits::contacts(tx, actor, token, contact, &mut detail).await?
        }
        ValidChange::Scopes(scopes) => edits::scopes(tx, token, scopes, &mut detail).await?,
        ValidChange::SetEnabled(enabled) => edits::set_enabled(tx, token, *enabled).await?,
        ValidChange::Reset { keep_old_for } => {
            edits::reset(tx, token, request, *keep_old_for, &mut detail).await?
        }
        ValidChange::AllowedIps(list) => edits::allowed_ips(tx, token, list, &mut detail).await?,
        ValidChange::Limits { limits, budget } => {
            let asked = edits::LimitsAsked {
                limits,
                budget: *budget,
                now,
            };
            edits::limits(tx, actor.account_id, token, asked, &mut detail).await?
        }
        ValidChange::Renew(expiration) => {
            edits::renew(tx, actor, token, (expiration, now), &mut detail).await?
        }
        ValidChange::RevokeOldSecret => edits::revoke_old_secret(tx, token, now).await?,
        ValidChange::Delete => edits::delete(tx, token, now).await?,
    };
    let Some(action) = action else {
        return Ok(None);
    };
    let edits = matches!(
        action,
        AuditAction::ContactsChanged
            | AuditAction::ScopesChanged
            | AuditAction::AllowedIpsChanged
            | AuditAction::LimitsChanged
            | AuditAction::Renewed
    );
    if edits && detail.is_empty() {
        return Ok(None);
    }
    Ok(AppliedChange::new(token, action, detail))
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

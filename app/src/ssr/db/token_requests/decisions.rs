//! What happens to a request after it is made: an Account Administrator approves it (the
//! token is minted with a secret nobody knows) or denies it; its requester withdraws it,
//! or claims the approved token's secret (a new one, shown once); left unclaimed for
//! [`CLAIM_DAYS`] it expires and its token is disabled. Each locks the request's row
//! first, so of two decisions at once one wins and the other finds it decided (409).

use super::super::audit::{self, AuditEvent};
use super::super::engine::{query, Db, Tx};
use super::super::tokens::{self, StoredCredentials};
use super::record;
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::request_notice::RequestEvent;
use crate::domain::token_request::{
    self, narrow, Decider, Narrowing, RequestAction, RequestRefusal, RequestState, CLAIM_DAYS,
};
use crate::domain::wizard::Draft;
use crate::domain::{Actor, Permission, Role};
use crate::error::AppError;
use sqlx::FromRow;

const DAY: i64 = 86_400;
/// The most expired requests one sweep handles.
const EXPIRE_BATCH: i64 = 100;

/// An administrator's decision.
pub enum Decision<'a> {
    /// Mint the token, narrowed as given, with credentials whose secret nobody is shown.
    Approve {
        narrowing: &'a Narrowing,
        credentials: StoredCredentials<'a>,
    },
    /// Refuse it, saying why.
    Deny { reason: &'a str },
}

/// A request's row, locked for the change.
#[derive(FromRow)]
struct Locked {
    requested_by: i64,
    state: String,
    claimed_at: Option<i64>,
    draft: String,
    name: String,
    token_id: Option<i64>,
}

/// Locks request `id` of `account_id` (the same statement on both engines).
async fn lock(tx: &mut Tx, account_id: i64, id: i64) -> Result<Locked, AppError> {
    query(
        "UPDATE token_requests SET state = state WHERE id = $1 AND account_id = $2
         RETURNING requested_by, state, claimed_at, draft, name, token_id",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional::<Locked>(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)
}

/// The error a refusal is answered with.
fn refused(refusal: RequestRefusal) -> AppError {
    match refusal {
        RequestRefusal::NotPending | RequestRefusal::NothingToClaim => {
            AppError::Conflict(refusal.to_string())
        }
        RequestRefusal::NotAdmin | RequestRefusal::NotRequester | RequestRefusal::OwnRequest => {
            AppError::NotAllowed(refusal.to_string())
        }
    }
}

/// Whether `actor` may take `action` on `request`; `Ok(true)`: an administrator deciding
/// their own request as the account's only one.
async fn check(
    tx: &mut Tx,
    actor: &Actor,
    request: &Locked,
    action: RequestAction,
) -> Result<bool, AppError> {
    let admins = super::admin_count(&mut *tx, actor.account_id).await?;
    let state = RequestState::from_id(&request.state).unwrap_or(RequestState::Withdrawn);
    let by = Decider {
        is_requester: request.requested_by == actor.user_id,
        is_admin: actor.role == Role::AccountAdmin,
        only_admin: admins <= 1,
    };
    token_request::allowed(action, state, request.claimed_at.is_some(), by).map_err(refused)
}

/// The requester's name.
async fn requester_name(tx: &mut Tx, user_id: i64) -> Result<String, AppError> {
    Ok(query("SELECT name FROM users WHERE id = $1")
        .bind(user_id)
        .scalar(&mut *tx)
        .await?)
}

/// Approves or denies request `id` as `actor` (an Account Administrator).
pub async fn decide(
    pool: &Db,
    actor: &Actor,
    id: i64,
    decision: Decision<'_>,
    now: i64,
) -> Result<(), AppError> {
    let account = (actor.account_id, actor.user_id);
    let mut tx =
        super::super::standing::begin_as(pool, account, Permission::DecideRequests).await?;
    let request = lock(&mut tx, actor.account_id, id).await?;
    let action = match decision {
        Decision::Approve { .. } => RequestAction::Approve,
        Decision::Deny { .. } => RequestAction::Deny,
    };
    let alone = check(&mut tx, actor, &request, action).await?;
    let requester = requester_name(&mut tx, request.requested_by).await?;
    let mut detail = AuditDetail {
        facts: vec![
            ("Request".to_string(), format!("#{id}")),
            ("Token".to_string(), request.name.clone()),
            ("Requested by".to_string(), requester.clone()),
        ],
        ..AuditDetail::default()
    };
    if alone {
        let note = "Their own request, as the account's only Account Administrator";
        detail.facts.push(("Decided".to_string(), note.to_string()));
    }
    let audit_action = match decision {
        Decision::Approve {
            narrowing,
            credentials,
        } => {
            let draft: Draft = serde_json::from_str(&request.draft).map_err(|error| {
                tracing::error!(%error, request = id, "stored request draft unreadable");
                AppError::Internal
            })?;
            let requested = draft.validate().map_err(AppError::Validation)?;
            let policy = super::super::accounts::token_policy(&mut tx, actor.account_id).await?;
            let token = narrow(&requested, narrowing, now, policy).map_err(AppError::Validation)?;
            detail.scopes_added = token.scopes.iter().map(|s| s.to_string()).collect();
            detail.scopes_removed = requested
                .scopes
                .iter()
                .filter(|s| !token.scopes.contains(*s))
                .map(|s| s.to_string())
                .collect();
            detail.compare(
                "Expiration",
                &requested.expiration.describe(),
                &token.expiration.describe(),
            );
            let facts = detail.facts.clone();
            let token_id =
                tokens::create_in(&mut tx, actor, &token, credentials, now, facts).await?;
            query(
                "UPDATE token_requests SET state = 'approved', decided_by = $1, decided_at = $2,
                     self_decided = $3, token_id = $4, claim_until = $5
                 WHERE id = $6",
            )
            .bind(actor.user_id)
            .bind(now)
            .bind(i64::from(alone))
            .bind(token_id)
            .bind(now + CLAIM_DAYS * DAY)
            .bind(id)
            .execute(&mut tx)
            .await?;
            AuditAction::RequestApproved
        }
        Decision::Deny { reason } => {
            query(
                "UPDATE token_requests SET state = 'denied', decided_by = $1, decided_at = $2,
                     self_decided = $3, decision_reason = $4
                 WHERE id = $5",
            )
            .bind(actor.user_id)
            .bind(now)
            .bind(i64::from(alone))
            .bind(reason)
            .bind(id)
            .execute(&mut tx)
            .await?;
            AuditAction::RequestDenied
        }
    };
    let event = RequestEvent {
        id,
        token_name: &request.name,
        requester: &requester,
        actor: &actor.name,
        action: audit_action,
    };
    record(&mut tx, Some(actor), event, &detail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Withdraws request `id` as its requester, while it is pending.
pub async fn withdraw(pool: &Db, actor: &Actor, id: i64, now: i64) -> Result<(), AppError> {
    let account = (actor.account_id, actor.user_id);
    let mut tx = super::super::standing::begin_as(pool, account, Permission::ManageTokens).await?;
    let request = lock(&mut tx, actor.account_id, id).await?;
    check(&mut tx, actor, &request, RequestAction::Withdraw).await?;
    query(
        "UPDATE token_requests SET state = 'withdrawn', decided_by = $1, decided_at = $2
         WHERE id = $3",
    )
    .bind(actor.user_id)
    .bind(now)
    .bind(id)
    .execute(&mut tx)
    .await?;
    let detail = AuditDetail {
        facts: vec![
            ("Request".to_string(), format!("#{id}")),
            ("Token".to_string(), request.name.clone()),
        ],
        ..AuditDetail::default()
    };
    let event = RequestEvent {
        id,
        token_name: &request.name,
        requester: &actor.name,
        actor: &actor.name,
        action: AuditAction::RequestWithdrawn,
    };
    record(&mut tx, Some(actor), event, &detail, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Gives the approved token of request `id` the secret in `credentials`, once, as its
/// requester claims it: the token's name and SID.
pub async fn claim(
    pool: &Db,
    actor: &Actor,
    id: i64,
    credentials: StoredCredentials<'_>,
    now: i64,
) -> Result<(String, String), AppError> {
    let account = (actor.account_id, actor.user_id);
    let mut tx = super::super::standing::begin_as(pool, account, Permission::ManageTokens).await?;
    let request = lock(&mut tx, actor.account_id, id).await?;
    check(&mut tx, actor, &request, RequestAction::Claim).await?;
    let token: Option<(i64, String, String)> = query(
        "UPDATE tokens SET secret_hash = $1, secret_last4 = $2, secret_issued_at = $3
         WHERE id = $4 AND deleted_at IS NULL RETURNING id, name, sid",
    )
    .bind(credentials.secret_hash)
    .bind(credentials.secret_last4)
    .bind(now)
    .bind(request.token_id.unwrap_or(0))
    .fetch_optional(&mut tx)
    .await?;
    let Some((token_id, name, sid)) = token else {
        return Err(AppError::Conflict(
            "The approved token was deleted: its secret can't be shown.".to_string(),
        ));
    };
    query("UPDATE token_requests SET claimed_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut tx)
        .await?;
    let detail = AuditDetail {
        facts: vec![("Request".to_string(), format!("#{id}"))],
        ..AuditDetail::default()
    };
    let event = AuditEvent {
        account_id: actor.account_id,
        token_id: Some(token_id),
        actor_id: Some(actor.user_id),
        action: AuditAction::RequestClaimed,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.announce_change();
    tx.commit().await?;
    Ok((name, sid))
}

/// Expires approved requests unclaimed past their time (up to a batch), disabling their
/// tokens; how many.
pub async fn expire_unclaimed(pool: &Db, now: i64) -> Result<u64, AppError> {
    let due: Vec<(i64,)> = query(format!(
        "SELECT id FROM token_requests
         WHERE state = 'approved' AND claimed_at IS NULL AND claim_until < $1
         ORDER BY claim_until LIMIT {EXPIRE_BATCH}"
    ))
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut expired = 0;
    for (id,) in due {
        let mut tx = pool.begin_write().await?;
        let request: Option<(i64, i64, String, Option<i64>)> = query(
            "UPDATE token_requests SET state = 'expired'
             WHERE id = $1 AND state = 'approved' AND claimed_at IS NULL AND claim_until < $2
             RETURNING account_id, requested_by, name, token_id",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(&mut tx)
        .await?;
        let Some((account_id, requested_by, name, token_id)) = request else {
            continue;
        };
        query("UPDATE tokens SET enabled = $1, updated_at = $2 WHERE id = $3")
            .bind(false)
            .bind(now)
            .bind(token_id.unwrap_or(0))
            .execute(&mut tx)
            .await?;
        let requester = requester_name(&mut tx, requested_by).await?;
        let detail = AuditDetail {
            facts: vec![("Request".to_string(), format!("#{id}"))],
            ..AuditDetail::default()
        };
        if let Some(token_id) = token_id {
            let event = AuditEvent {
                account_id,
                token_id: Some(token_id),
                actor_id: None,
                action: AuditAction::Disabled,
                detail: &detail,
                at: now,
            };
            audit::record(&mut tx, event).await?;
        }
        let event = RequestEvent {
            id,
            token_name: &name,
            requester: &requester,
            actor: &requester,
            action: AuditAction::RequestExpired,
        };
        record(&mut tx, None, event, &detail, now).await?;
        tx.announce_change();
        tx.commit().await?;
        expired += 1;
    }
    Ok(expired)
}

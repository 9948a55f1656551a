//! Requests for a token (**Token creation: Needs approval**): made, listed and read here;
//! decided, withdrawn, claimed and expired in [`decisions`]. Each change writes its audit
//! event and its messages (to the requester and the account's administrators, never to
//! whoever acted) in its own transaction.

mod decisions;

pub use super::accounts::token_creation;
use super::audit::{self, AuditEvent};
use super::engine::{query, Conn, Db, Tx};
use super::outbox;
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::request_notice::{self, RequestEvent};
use crate::domain::token_request::{RequestState, TokenCreation};
use crate::domain::wizard::{Draft, NewToken};
use crate::domain::{Actor, Permission};
use crate::error::AppError;
pub use decisions::{claim, decide, expire_unclaimed, withdraw, Decision};
use sqlx::FromRow;

/// The most requests one user may have pending at once.
pub const MAX_PENDING_PER_USER: i64 = 20;
/// The most requests a list shows (newest first).
pub const LIST_LIMIT: i64 = 200;

/// Sets the account's **Token creation** (an Account Administrator's); whether it changed.
/// Pending requests stay pending either way.
pub async fn set_token_creation(
    pool: &Db,
    actor: &Actor,
    creation: TokenCreation,
    now: i64,
) -> Result<bool, AppError> {
    let account = (actor.account_id, actor.user_id);
    let mut tx = super::standing::begin_as(pool, account, Permission::SetTokenPolicy).await?;
    let before = token_creation(&mut tx, actor.account_id).await?;
    if before == creation {
        return Ok(false);
    }
    query("UPDATE accounts SET token_creation = $1 WHERE id = $2")
        .bind(creation.id())
        .bind(actor.account_id)
        .execute(&mut tx)
        .await?;
    let mut detail = AuditDetail::default();
    detail.compare("Token creation", before.label(), creation.label());
    let event = AuditEvent {
        account_id: actor.account_id,
        token_id: None,
        actor_id: Some(actor.user_id),
        action: AuditAction::TokenCreationChanged,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(true)
}

/// A request as the pages show it.
#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub name: String,
    pub reason: String,
    /// The wizard's draft, as JSON.
    pub draft: String,
    pub state: String,
    pub requested_by: i64,
    pub requester_name: String,
    pub requested_at: i64,
    pub decider_name: Option<String>,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
    pub self_decided: bool,
    pub token_sid: Option<String>,
    pub claim_until: Option<i64>,
    pub claimed_at: Option<i64>,
}

impl RequestRow {
    /// Its state (an unknown stored one reads as withdrawn: nothing can be done to it).
    pub fn state(&self) -> RequestState {
        RequestState::from_id(&self.state).unwrap_or(RequestState::Withdrawn)
    }
}

const SELECT: &str = "SELECT r.id, r.name, r.reason, r.draft, r.state, r.requested_by,
        u.name AS requester_name, r.requested_at, d.name AS decider_name, r.decided_at,
        r.decision_reason, r.self_decided <> 0 AS self_decided, t.sid AS token_sid,
        r.claim_until, r.claimed_at
    FROM token_requests r
    JOIN users u ON u.id = r.requested_by
    LEFT JOIN users d ON d.id = r.decided_by
    LEFT JOIN tokens t ON t.id = r.token_id";

/// Makes a request for `token` (from `draft`) with `reason`: checked as **Create** checks
/// a token (contact, name, expiration, limits), but nothing is minted.
pub async fn create(
    pool: &Db,
    actor: &Actor,
    (draft, token): (&Draft, &NewToken),
    reason: &str,
    now: i64,
) -> Result<i64, AppError> {
    let account = (actor.account_id, actor.user_id);
    let mut tx = super::standing::begin_as(pool, account, Permission::ManageTokens).await?;
    if token_creation(&mut tx, actor.account_id).await? != TokenCreation::NeedsApproval {
        return Err(AppError::Refused(
            "This account's tokens are created directly: use Create.".to_string(),
        ));
    }
    let pending: i64 =
        query("SELECT COUNT(*) FROM token_requests WHERE requested_by = $1 AND state = 'pending'")
            .bind(actor.user_id)
            .scalar(&mut tx)
            .await?;
    if pending >= MAX_PENDING_PER_USER {
        return Err(AppError::Refused(format!(
            "You have {MAX_PENDING_PER_USER} requests pending, the most one person may: \
             withdraw one, or wait for a decision."
        )));
    }
    super::tokens::check_new(&mut tx, actor.account_id, token, now).await?;
    let stored = serde_json::to_string(draft).map_err(|_| AppError::Internal)?;
    let id: i64 = query(
        "INSERT INTO token_requests (account_id, requested_by, requested_at, name, reason, draft)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(actor.user_id)
    .bind(now)
    .bind(token.name.as_str())
    .bind(reason)
    .bind(stored)
    .scalar(&mut tx)
    .await?;
    let detail = AuditDetail {
        scopes_added: token.scopes.iter().map(|s| s.to_string()).collect(),
        facts: vec![
            ("Request".to_string(), format!("#{id}")),
            ("Token".to_string(), token.name.to_string()),
        ],
        ..AuditDetail::default()
    };
    let event = RequestEvent {
        id,
        token_name: token.name.as_str(),
        requester: &actor.name,
        actor: &actor.name,
        action: AuditAction::RequestCreated,
    };
    record(&mut tx, Some(actor), event, &detail, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// The audit event of a request's change by `actor` (none: nobody signed in), and its
/// messages to the requester and the account's enabled administrators but the actor.
pub(super) async fn record(
    tx: &mut Tx,
    actor: Option<&Actor>,
    about: RequestEvent<'_>,
    detail: &AuditDetail,
    now: i64,
) -> Result<(), AppError> {
    let account_id: i64 = query("SELECT account_id FROM token_requests WHERE id = $1")
        .bind(about.id)
        .scalar(&mut *tx)
        .await?;
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: actor.map(|a| a.user_id),
        action: about.action,
        detail,
        at: now,
    };
    audit::record(tx, event).await?;
    let recipients: Vec<String> = query(
        "SELECT u.email FROM users u
         WHERE u.account_id = $1 AND u.disabled_at IS NULL AND u.id <> $3
           AND (u.role = 'account_admin'
                OR u.id = (SELECT requested_by FROM token_requests WHERE id = $2))
         ORDER BY u.id",
    )
    .bind(account_id)
    .bind(about.id)
    .bind(actor.map_or(0, |a| a.user_id))
    .fetch_all::<(String,)>(&mut *tx)
    .await?
    .into_iter()
    .map(|(email,)| email)
    .collect();
    for message in request_notice::request(about, recipients) {
        outbox::queue_to_user(tx, account_id, &message, now).await?;
    }
    Ok(())
}

/// The account's requests, newest first (at most [`LIST_LIMIT`]); only `requester`'s if
/// given; only those in `state` if given.
pub async fn list(
    pool: &Db,
    account_id: i64,
    requester: Option<i64>,
    state: Option<RequestState>,
) -> Result<Vec<RequestRow>, AppError> {
    Ok(query(format!(
        "{SELECT} WHERE r.account_id = $1 AND ($2 = 0 OR r.requested_by = $2)
           AND ($3 = '' OR r.state = $3)
         ORDER BY r.id DESC LIMIT {LIST_LIMIT}"
    ))
    .bind(account_id)
    .bind(requester.unwrap_or(0))
    .bind(state.map_or("", RequestState::id))
    .fetch_all(pool)
    .await?)
}

/// How many of the account's requests are pending (only `requester`'s if given).
pub async fn pending_count(
    pool: &Db,
    account_id: i64,
    requester: Option<i64>,
) -> Result<i64, AppError> {
    Ok(query(
        "SELECT COUNT(*) FROM token_requests
         WHERE account_id = $1 AND state = 'pending' AND ($2 = 0 OR requested_by = $2)",
    )
    .bind(account_id)
    .bind(requester.unwrap_or(0))
    .scalar(pool)
    .await?)
}

/// How many enabled Account Administrators the account has.
pub async fn admin_count<'e>(db: impl Into<Conn<'e>>, account_id: i64) -> Result<i64, AppError> {
    Ok(query(
        "SELECT COUNT(*) FROM users
         WHERE account_id = $1 AND role = 'account_admin' AND disabled_at IS NULL",
    )
    .bind(account_id)
    .scalar(db)
    .await?)
}

/// Request `id` of the account.
pub async fn get(pool: &Db, account_id: i64, id: i64) -> Result<Option<RequestRow>, AppError> {
    Ok(
        query(format!("{SELECT} WHERE r.account_id = $1 AND r.id = $2"))
            .bind(account_id)
            .bind(id)
            .fetch_optional(pool)
            .await?,
    )
}

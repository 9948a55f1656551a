//! The account's policy for its tokens' limits: read where tokens get limits (in their
//! write transaction, so a change can't slip in between), set by its Account
//! Administrator, audited.

use super::audit::{self, AuditEvent};
use super::engine::{query, Conn, Db};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::limits::{Limits, LimitsBreach, LimitsPolicy};
use crate::domain::wizard::{Field, FieldError, Problem};
use crate::error::AppError;

/// The account's policy.
pub async fn policy<'e>(
    db: impl Into<Conn<'e>>,
    account_id: i64,
) -> Result<LimitsPolicy, AppError> {
    let text: String = query("SELECT limits_policy FROM accounts WHERE id = $1")
        .bind(account_id)
        .scalar(db)
        .await?;
    Ok(LimitsPolicy::from_stored(&text))
}

/// `limits` held to the account's ceilings: a 422 beside **Rate limit** and **Quota**
/// for what they pass.
pub async fn check<'e>(
    db: impl Into<Conn<'e>>,
    account_id: i64,
    limits: &Limits,
) -> Result<(), AppError> {
    policy(db, account_id)
        .await?
        .check(limits)
        .map_err(|breach| AppError::Validation(field_errors(breach)))
}

/// A breach as the fields' errors.
pub fn field_errors(breach: LimitsBreach) -> Vec<FieldError> {
    [
        breach.rate.map(|e| (Field::RateLimit, e)),
        breach.quota.map(|e| (Field::Quota, e)),
    ]
    .into_iter()
    .flatten()
    .map(|(field, problem)| FieldError {
        field,
        problem: Problem::Limit(problem),
    })
    .collect()
}

/// Sets the account's policy for `actor_id`, audited in the same transaction; whether it
/// changed.
pub async fn set(
    pool: &Db,
    (account_id, actor_id): (i64, i64),
    new: LimitsPolicy,
    now: i64,
) -> Result<bool, AppError> {
    let actor = (account_id, actor_id);
    let mut tx =
        super::standing::begin_as(pool, actor, crate::domain::Permission::SetTokenPolicy).await?;
    let current = policy(&mut tx, account_id).await?;
    if current == new {
        return Ok(false);
    }
    query("UPDATE accounts SET limits_policy = $1 WHERE id = $2")
        .bind(new.to_stored())
        .bind(account_id)
        .execute(&mut tx)
        .await?;
    let mut detail = AuditDetail::default();
    let (old, now_is) = (current, new);
    detail.compare(
        "Default rate limit",
        &old.defaults.rate_words(),
        &now_is.defaults.rate_words(),
    );
    detail.compare(
        "Default quota",
        &old.defaults.quota_words(),
        &now_is.defaults.quota_words(),
    );
    detail.compare(
        "Highest rate limit",
        &old.ceiling.rate_words(),
        &now_is.ceiling.rate_words(),
    );
    detail.compare(
        "Largest quota",
        &old.ceiling.quota_words(),
        &now_is.ceiling.quota_words(),
    );
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(actor_id),
        action: AuditAction::TokenPolicyChanged,
        detail: &detail,
        at: now,
    };
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(true)
}

//! Budgets: created, changed and deleted by the account's administrators, each change
//! audited and announced (the tokens drawing on a budget carry its limits in the token
//! cache, so a change reaches their very next call).

use super::audit::{self, AuditEvent};
use super::engine::{query, Conn, Db, Tx};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::limits::{BudgetSpec, Limits};
use crate::domain::token_filter::fold_name;
use crate::error::AppError;
use sqlx::FromRow;

/// A budget of an account.
#[derive(Debug, Clone, FromRow)]
pub struct BudgetRow {
    pub id: i64,
    pub name: String,
    pub rate_requests: Option<i64>,
    pub rate_per: Option<String>,
    pub quota_calls: Option<i64>,
    pub quota_refill: Option<String>,
    pub quota_since: Option<i64>,
    pub created_at: i64,
}

impl BudgetRow {
    /// Its limits.
    pub fn limits(&self) -> Limits {
        Limits::from_stored(
            self.rate_requests,
            self.rate_per.as_deref(),
            self.quota_calls,
            self.quota_refill.as_deref(),
        )
    }
}

/// The most budgets an account may have.
pub const MAX_BUDGETS: i64 = 200;

/// The account's budgets, by name.
pub async fn list<'e>(
    db: impl Into<Conn<'e>>,
    account_id: i64,
) -> Result<Vec<BudgetRow>, AppError> {
    Ok(query(
        "SELECT id, name, rate_requests, rate_per, quota_calls, quota_refill, quota_since,
                created_at
         FROM budgets WHERE account_id = $1 ORDER BY name_folded",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

/// The live tokens drawing on the account's budgets: `(budget id, sid, name)`, by name.
pub async fn tokens<'e>(
    db: impl Into<Conn<'e>>,
    account_id: i64,
) -> Result<Vec<(i64, String, String)>, AppError> {
    Ok(query(
        "SELECT budget_id, sid, name FROM tokens
         WHERE account_id = $1 AND budget_id IS NOT NULL AND deleted_at IS NULL
         ORDER BY name_folded",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?)
}

/// The budget `id` if it is the account's.
pub async fn find<'e>(
    db: impl Into<Conn<'e>>,
    account_id: i64,
    id: i64,
) -> Result<Option<BudgetRow>, AppError> {
    Ok(query(
        "SELECT id, name, rate_requests, rate_per, quota_calls, quota_refill, quota_since,
                created_at
         FROM budgets WHERE id = $1 AND account_id = $2",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional(db)
    .await?)
}

/// Writes the audit event of a budget change.
async fn audited(
    tx: &mut Tx,
    (account_id, actor_id): (i64, i64),
    action: AuditAction,
    detail: &AuditDetail,
    now: i64,
) -> Result<(), AppError> {
    let event = AuditEvent {
        account_id,
        token_id: None,
        actor_id: Some(actor_id),
        action,
        detail,
        at: now,
    };
    audit::record(tx, event).await?;
    Ok(())
}

/// Begins a budget change by `actor`: still an administrator of the account.
async fn begin(pool: &Db, actor: (i64, i64)) -> Result<Tx, AppError> {
    super::standing::begin_as(pool, actor, crate::domain::Permission::SetTokenPolicy).await
}

/// Creates a budget; its id. A name another budget of the account has (whatever its case)
/// is a conflict.
pub async fn create(
    pool: &Db,
    actor: (i64, i64),
    spec: &BudgetSpec,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = begin(pool, actor).await?;
    let count: i64 = query("SELECT COUNT(*) FROM budgets WHERE account_id = $1")
        .bind(actor.0)
        .scalar(&mut tx)
        .await?;
    if count >= MAX_BUDGETS {
        return Err(AppError::Conflict(format!(
            "This account has {MAX_BUDGETS} budgets, the most it may: delete one first."
        )));
    }
    let limits = spec.limits;
    let id: i64 = query(
        "INSERT INTO budgets (account_id, name, name_folded, rate_requests, rate_per,
                              quota_calls, quota_refill, quota_since, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(actor.0)
    .bind(spec.name.as_str())
    .bind(fold_name(spec.name.as_str()))
    .bind(limits.rate.map(|r| i64::from(r.requests)))
    .bind(limits.rate.map(|r| r.per.id()))
    .bind(limits.quota.map(|q| q.calls as i64))
    .bind(limits.quota.map(|q| q.refill.id()))
    .bind(limits.quota.map(|_| now))
    .bind(now)
    .scalar(&mut tx)
    .await
    .map_err(|error| match AppError::from(error) {
        AppError::Conflict(_) => AppError::Conflict(format!(
            "A budget named \"{}\" exists already: choose another name.",
            spec.name
        )),
        other => other,
    })?;
    let detail = AuditDetail {
        facts: vec![
            ("Budget".to_string(), spec.name.to_string()),
            ("Rate limit".to_string(), limits.rate_words()),
            ("Quota".to_string(), limits.quota_words()),
        ],
        ..AuditDetail::default()
    };
    audited(&mut tx, actor, AuditAction::BudgetCreated, &detail, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Sets budget `id`'s limits (a quota's window kept while only its number changes, as a
/// token's is); whether it changed. Announced: its tokens' next calls draw on the new ones.
pub async fn update(
    pool: &Db,
    actor: (i64, i64),
    id: i64,
    limits: Limits,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = begin(pool, actor).await?;
    let Some(budget) = find(&mut tx, actor.0, id).await? else {
        return Err(AppError::NotFound);
    };
    let before = budget.limits();
    if before == limits {
        return Ok(false);
    }
    let same_window =
        matches!((before.quota, limits.quota), (Some(a), Some(b)) if a.refill == b.refill);
    let since = if same_window {
        budget.quota_since
    } else {
        limits.quota.map(|_| now)
    };
    query(
        "UPDATE budgets SET rate_requests = $1, rate_per = $2, quota_calls = $3,
                            quota_refill = $4, quota_since = $5
         WHERE id = $6",
    )
    .bind(limits.rate.map(|r| i64::from(r.requests)))
    .bind(limits.rate.map(|r| r.per.id()))
    .bind(limits.quota.map(|q| q.calls as i64))
    .bind(limits.quota.map(|q| q.refill.id()))
    .bind(since)
    .bind(id)
    .execute(&mut tx)
    .await?;
    let mut detail = AuditDetail {
        facts: vec![("Budget".to_string(), budget.name.clone())],
        ..AuditDetail::default()
    };
    detail.compare("Rate limit", &before.rate_words(), &limits.rate_words());
    detail.compare("Quota", &before.quota_words(), &limits.quota_words());
    audited(&mut tx, actor, AuditAction::BudgetChanged, &detail, now).await?;
    tx.announce_change();
    tx.commit().await?;
    Ok(true)
}

/// Deletes budget `id`: its tokens draw on nothing but their own limits from their next
/// call (announced).
pub async fn delete(pool: &Db, actor: (i64, i64), id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = begin(pool, actor).await?;
    let Some(budget) = find(&mut tx, actor.0, id).await? else {
        return Err(AppError::NotFound);
    };
    query("UPDATE tokens SET budget_id = NULL WHERE budget_id = $1")
        .bind(id)
        .execute(&mut tx)
        .await?;
    // Its windows go with it: a later budget may be given its id.
    query("DELETE FROM quota_windows WHERE owner = $1")
        .bind(-id)
        .execute(&mut tx)
        .await?;
    query("DELETE FROM budgets WHERE id = $1")
        .bind(id)
        .execute(&mut tx)
        .await?;
    let detail = AuditDetail {
        facts: vec![("Budget".to_string(), budget.name)],
        ..AuditDetail::default()
    };
    audited(&mut tx, actor, AuditAction::BudgetDeleted, &detail, now).await?;
    tx.announce_change();
    tx.commit().await?;
    Ok(())
}

//! The audit trail: one event per change, written in the change's own transaction.

use super::engine::{query, Db, Tx};
pub use crate::domain::audit::AuditEvent;
use crate::error::AppError;
use sqlx::FromRow;

/// Appends an event inside `tx`, and queues the webhook messages it raises.
pub async fn record(tx: &mut Tx, event: AuditEvent<'_>) -> Result<(), AppError> {
    let detail = serde_json::to_string(event.detail).map_err(|error| {
        tracing::error!(%error, "audit detail not serialisable");
        AppError::Internal
    })?;
    query(
        "INSERT INTO audit_events (account_id, token_id, actor_id, action, detail, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(event.account_id)
    .bind(event.token_id)
    .bind(event.actor_id)
    .bind(event.action.id())
    .bind(detail)
    .bind(event.at)
    .execute(&mut *tx)
    .await?;
    tx.count_audit_on_commit(event.action.id());
    super::webhooks::events::queue_audited(tx, &event).await
}

/// An event as the history reads it.
#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    /// The stored action id.
    pub action: String,
    /// The stored JSON detail.
    pub detail: String,
    /// When.
    pub created_at: i64,
    /// The actor's name; `None`: no user acted.
    pub actor: Option<String>,
}

/// A token's events, newest first.
pub async fn for_token(
    pool: &Db,
    token_id: i64,
    offset: u64,
    limit: u32,
) -> Result<Vec<AuditRow>, AppError> {
    Ok(query(
        "SELECT a.action, a.detail, a.created_at, u.name AS actor
         FROM audit_events a LEFT JOIN users u ON u.id = a.actor_id
         WHERE a.token_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2 OFFSET $3",
    )
    .bind(token_id)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all::<AuditRow>(pool)
    .await?)
}

/// How many events a token's history holds.
pub async fn count_for_token(pool: &Db, token_id: i64) -> Result<u64, AppError> {
    let count: i64 = query("SELECT COUNT(*) FROM audit_events WHERE token_id = $1")
        .bind(token_id)
        .scalar(pool)
        .await?;
    Ok(count.max(0) as u64)
}

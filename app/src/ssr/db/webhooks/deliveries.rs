//! What an endpoint's page shows of its messages, **Resend**, and the pruning of old ones.

use super::super::engine::{query, Db};
use crate::error::AppError;
use sqlx::FromRow;

/// Delivered and failed messages are kept this long (with their attempts), in seconds.
const KEEP_SECS: i64 = 7 * 24 * 3600;
/// How many of an endpoint's messages its page lists.
pub const DELIVERIES_SHOWN: i64 = 50;

/// A message as the endpoint's page lists it, with its last attempt.
#[derive(Debug, Clone, FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: String,
    pub event_type: String,
    pub state: String,
    pub attempts: i64,
    pub created_at: i64,
    pub next_attempt_at: i64,
    pub status: Option<i64>,
    pub latency_ms: Option<i64>,
    pub response: Option<String>,
    pub attempted_at: Option<i64>,
}

/// Endpoint `endpoint_id`'s latest messages, newest first.
pub async fn list(pool: &Db, endpoint_id: i64) -> Result<Vec<DeliveryRow>, AppError> {
    Ok(query(
        "SELECT m.id, m.webhook_id, m.event_type, m.state, m.attempts, m.created_at,
                m.next_attempt_at, a.status, a.latency_ms, a.response, a.attempted_at
         FROM webhook_messages m
         LEFT JOIN webhook_attempts a ON a.id = (SELECT MAX(id) FROM webhook_attempts
                                                 WHERE message_id = m.id)
         WHERE m.endpoint_id = $1 ORDER BY m.id DESC LIMIT $2",
    )
    .bind(endpoint_id)
    .bind(DELIVERIES_SHOWN)
    .fetch_all::<DeliveryRow>(pool)
    .await?)
}

/// Sends message `message_id` of endpoint `endpoint_id` (the account's) again, with its
/// `webhook-id`: `Conflict` (409) while it is still waiting or being sent.
pub async fn resend(
    pool: &Db,
    account_id: i64,
    endpoint_id: i64,
    message_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let state: Option<String> = query(
        "SELECT m.state FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id
         WHERE m.id = $1 AND m.endpoint_id = $2 AND e.account_id = $3",
    )
    .bind(message_id)
    .bind(endpoint_id)
    .bind(account_id)
    .scalar_optional(&mut tx)
    .await?;
    match state.as_deref() {
        None => return Err(AppError::NotFound),
        Some("delivered" | "failed") => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "That message is still waiting to be delivered: it will be sent as it is.".into(),
            ))
        }
    }
    query(
        "UPDATE webhook_messages SET state = 'queued', next_attempt_at = $1, created_at = $1,
                                     delivered_at = NULL
         WHERE id = $2",
    )
    .bind(now)
    .bind(message_id)
    .execute(&mut tx)
    .await?;
    tx.wake_webhooks_on_commit();
    tx.commit().await?;
    Ok(())
}

/// Deletes delivered and failed messages older than a week (their attempts with them).
pub async fn prune(pool: &Db, now: i64) -> Result<u64, AppError> {
    let mut tx = pool.begin_write().await?;
    query(
        "DELETE FROM webhook_attempts WHERE message_id IN (
             SELECT id FROM webhook_messages
             WHERE state IN ('delivered', 'failed') AND created_at < $1)",
    )
    .bind(now - KEEP_SECS)
    .execute(&mut tx)
    .await?;
    let done = query(
        "DELETE FROM webhook_messages WHERE state IN ('delivered', 'failed') AND created_at < $1",
    )
    .bind(now - KEEP_SECS)
    .execute(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(done)
}

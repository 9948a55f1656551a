//! Queueing webhook messages inside the event's transaction: one per enabled endpoint of
//! the account that asked for the event, each with its own `webhook-id`.

use super::super::engine::{query, Tx};
use crate::domain::webhook::{Payload, WebhookEvent};
use crate::error::AppError;
use sqlx::FromRow;

/// The enabled endpoints of account `account_id` that asked for `kind`.
pub(super) async fn subscribed(
    tx: &mut Tx,
    account_id: i64,
    kind: WebhookEvent,
) -> Result<Vec<i64>, AppError> {
    #[derive(FromRow)]
    struct Row {
        id: i64,
        events: String,
    }
    let rows =
        query("SELECT id, events FROM webhook_endpoints WHERE account_id = $1 AND enabled = TRUE")
            .bind(account_id)
            .fetch_all::<Row>(&mut *tx)
            .await?;
    Ok(rows
        .into_iter()
        .filter(|row| row.events.split(' ').any(|id| id == kind.id()))
        .map(|row| row.id)
        .collect())
}

/// Queues `payload` for each of `endpoints` inside `tx`, each with its own `webhook-id`.
pub(super) async fn queue(
    tx: &mut Tx,
    endpoints: &[i64],
    kind: WebhookEvent,
    payload: &Payload,
    now: i64,
) -> Result<(), AppError> {
    let body = serde_json::to_string(payload).map_err(|error| {
        tracing::error!(%error, "webhook payload not serialisable");
        AppError::Internal
    })?;
    for endpoint in endpoints {
        query(
            "INSERT INTO webhook_messages (endpoint_id, webhook_id, event_type, payload,
                                           created_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(endpoint)
        .bind(format!("msg_{}", crate::ssr::random_base62(24)))
        .bind(kind.id())
        .bind(&body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    if !endpoints.is_empty() {
        tx.wake_webhooks_on_commit();
    }
    Ok(())
}

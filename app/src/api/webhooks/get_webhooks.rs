//! The **Webhooks** page's list and an endpoint's page with its deliveries.

use crate::domain::webhook::{DeliveryState, WebhookEvent};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An endpoint, as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookLine {
    pub id: i64,
    pub url: String,
    pub description: String,
    pub events: Vec<WebhookEvent>,
    pub enabled: bool,
    /// Why the server disabled it (failing for 3 days); `None` when a person did.
    pub disabled_reason: Option<String>,
    /// Failing since (Unix seconds); `None` after a success.
    pub failing_since: Option<i64>,
    /// Until when a rotated-out secret still signs.
    pub rotating_until: Option<i64>,
    pub created_at: i64,
}

/// One message to an endpoint, with its last attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryLine {
    pub id: i64,
    pub webhook_id: String,
    pub event: String,
    pub state: DeliveryState,
    pub attempts: i64,
    pub created_at: i64,
    /// When a queued one is tried next.
    pub next_attempt_at: Option<i64>,
    /// The last answer's status; `None`: none (or not attempted yet).
    pub status: Option<i64>,
    pub latency_ms: Option<i64>,
    /// The last answer's first bytes, or why there was none.
    pub response: Option<String>,
    pub attempted_at: Option<i64>,
}

/// An endpoint's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookDetail {
    pub endpoint: WebhookLine,
    /// Newest first.
    pub deliveries: Vec<DeliveryLine>,
}

/// The **Webhooks** page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookList {
    /// Oldest first.
    pub endpoints: Vec<WebhookLine>,
    /// Whether the operator allows private addresses (and plain `http://` to them).
    pub plain_http: bool,
}

/// The account's endpoints, oldest first.
#[server(endpoint = "list_webhooks")]
pub async fn list_webhooks() -> Result<WebhookList, AppError> {
    use crate::domain::Permission;
    use crate::ssr::auth;
    use crate::ssr::db::webhooks;
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        let rows = webhooks::list(&state.pool, user.account_id).await?;
        Ok(WebhookList {
            endpoints: rows.into_iter().map(line).collect(),
            plain_http: state.webhook_reach.allows_private(),
        })
    })
    .await
}

/// Endpoint `id` and its latest deliveries.
#[server(endpoint = "get_webhook")]
pub async fn get_webhook(#[server(default)] id: String) -> Result<WebhookDetail, AppError> {
    use crate::domain::Permission;
    use crate::ssr::auth;
    use crate::ssr::db::webhooks::{self, deliveries};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ManageWebhooks).await?;
        let id = super::number(&id, "an endpoint")?;
        let endpoint = webhooks::get(&state.pool, user.account_id, id).await?;
        let deliveries = deliveries::list(&state.pool, id).await?;
        Ok(WebhookDetail {
            endpoint: line(endpoint),
            deliveries: deliveries
                .into_iter()
                .map(|row| DeliveryLine {
                    id: row.id,
                    state: DeliveryState::from_id(&row.state).unwrap_or(DeliveryState::Queued),
                    next_attempt_at: (row.state == "queued").then_some(row.next_attempt_at),
                    webhook_id: row.webhook_id,
                    event: row.event_type,
                    attempts: row.attempts,
                    created_at: row.created_at,
                    status: row.status,
                    latency_ms: row.latency_ms,
                    response: row.response,
                    attempted_at: row.attempted_at,
                })
                .collect(),
        })
    })
    .await
}

#[cfg(feature = "ssr")]
fn line(row: crate::ssr::db::webhooks::EndpointRow) -> WebhookLine {
    let now = crate::ssr::now();
    WebhookLine {
        events: row.event_list(),
        id: row.id,
        url: row.url,
        description: row.description,
        enabled: row.enabled,
        disabled_reason: row.disabled_reason,
        failing_since: row.failing_since,
        rotating_until: row.old_secret_until.filter(|until| *until > now),
        created_at: row.created_at,
    }
}

//! The webhook messages an event raises, queued in the event's own transaction: an
//! audited change ([`queue_audited`]), a token about to expire or expired, and the test
//! event.

use super::super::engine::{query, Tx};
use super::queue;
use crate::domain::audit::AuditEvent;
use crate::domain::webhook::{EventData, NamedRef, Payload, ScopeChange, WebhookEvent};
use crate::error::AppError;
use sqlx::FromRow;

/// Queues the message `event` raises (if any) for each of its account's enabled endpoints
/// that asked for it; nothing (one query) when none did.
pub async fn queue_audited(tx: &mut Tx, event: &AuditEvent<'_>) -> Result<(), AppError> {
    let Some(kind) = WebhookEvent::for_audit(event.action) else {
        return Ok(());
    };
    let endpoints = queue::subscribed(tx, event.account_id, kind).await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let detail = event.detail;
    let mut data = base(tx, event.account_id, event.actor_id).await?;
    if let Some(token_id) = event.token_id {
        let token = token(tx, token_id).await?;
        if matches!(
            kind,
            WebhookEvent::TokenScopesChanged | WebhookEvent::TokenCreated
        ) {
            let after = scopes(tx, token_id).await?;
            data.scopes = Some(ScopeChange::from_after(
                after,
                &detail.scopes_added,
                &detail.scopes_removed,
            ));
        }
        data.token = token;
    }
    data.fields = detail.changes.iter().map(|c| c.field.clone()).collect();
    let fact = |label: &str| {
        detail
            .facts
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, v)| v.clone())
    };
    if let Some(number) = fact("Request") {
        data.request = Some(NamedRef {
            id: number.trim_start_matches('#').to_string(),
            name: fact("Token").unwrap_or_default(),
        });
    }
    if let Some(user) = &detail.user {
        data.user = Some(split_contact(user));
    }
    let payload = Payload {
        kind: kind.id().to_string(),
        timestamp: crate::ssr::rfc3339(event.at),
        data,
    };
    queue::queue(tx, &endpoints, kind, &payload, event.at).await
}

/// Queues `token.expiring` or `token.expired` for token `token_id`, expiring at
/// `expires_at`.
pub async fn queue_expiry(
    tx: &mut Tx,
    account_id: i64,
    token_id: i64,
    kind: WebhookEvent,
    expires_at: i64,
    now: i64,
) -> Result<(), AppError> {
    let endpoints = queue::subscribed(tx, account_id, kind).await?;
    if endpoints.is_empty() {
        return Ok(());
    }
    let mut data = base(tx, account_id, None).await?;
    data.token = token(tx, token_id).await?;
    data.expires_at = Some(crate::ssr::rfc3339(expires_at));
    let payload = Payload {
        kind: kind.id().to_string(),
        timestamp: crate::ssr::rfc3339(now),
        data,
    };
    queue::queue(tx, &endpoints, kind, &payload, now).await
}

/// How many test events may wait for one endpoint.
pub const TEST_EVENTS_WAITING: i64 = 10;

/// Queues the test event for endpoint `endpoint_id` alone, sent by `actor_id`: `Conflict`
/// (409) while [`TEST_EVENTS_WAITING`] already wait for it.
pub async fn queue_test(
    tx: &mut Tx,
    account_id: i64,
    endpoint_id: i64,
    actor_id: i64,
    now: i64,
) -> Result<(), AppError> {
    let waiting: i64 = query(
        "SELECT COUNT(*) FROM webhook_messages
         WHERE endpoint_id = $1 AND event_type = 'test' AND state IN ('queued', 'sending')",
    )
    .bind(endpoint_id)
    .scalar(&mut *tx)
    .await?;
    if waiting >= TEST_EVENTS_WAITING {
        return Err(AppError::Conflict(format!(
            "{TEST_EVENTS_WAITING} test events are already waiting for this endpoint: let them go first."
        )));
    }
    let payload = Payload {
        kind: WebhookEvent::Test.id().to_string(),
        timestamp: crate::ssr::rfc3339(now),
        data: base(tx, account_id, Some(actor_id)).await?,
    };
    queue::queue(tx, &[endpoint_id], WebhookEvent::Test, &payload, now).await
}

#[derive(FromRow)]
struct Named {
    id: String,
    name: String,
}

/// The account and the actor.
async fn base(tx: &mut Tx, account_id: i64, actor_id: Option<i64>) -> Result<EventData, AppError> {
    let account: String = query("SELECT sid FROM accounts WHERE id = $1")
        .bind(account_id)
        .scalar(&mut *tx)
        .await?;
    let actor = match actor_id {
        Some(id) => query("SELECT email AS id, name FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional::<Named>(&mut *tx)
            .await?
            .map(|n| NamedRef {
                id: n.id,
                name: n.name,
            }),
        None => None,
    };
    Ok(EventData {
        account,
        actor,
        ..EventData::default()
    })
}

async fn token(tx: &mut Tx, token_id: i64) -> Result<Option<NamedRef>, AppError> {
    Ok(query("SELECT sid AS id, name FROM tokens WHERE id = $1")
        .bind(token_id)
        .fetch_optional::<Named>(&mut *tx)
        .await?
        .map(|n| NamedRef {
            id: n.id,
            name: n.name,
        }))
}

async fn scopes(tx: &mut Tx, token_id: i64) -> Result<Vec<String>, AppError> {
    Ok(
        query("SELECT scope FROM token_scopes WHERE token_id = $1 ORDER BY scope")
            .bind(token_id)
            .scalars::<String>(&mut *tx)
            .await?,
    )
}

/// "name <email>" as a user reference.
fn split_contact(contact: &str) -> NamedRef {
    match contact.rsplit_once(" <") {
        Some((name, email)) => NamedRef {
            id: email.trim_end_matches('>').to_string(),
            name: name.to_string(),
        },
        None => NamedRef {
            id: contact.to_string(),
            name: String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_contact_splits_into_email_and_name() {
        let user = super::split_contact("Ada Lovelace <ada@acme.test>");
        assert_eq!(
            (user.id.as_str(), user.name.as_str()),
            ("ada@acme.test", "Ada Lovelace")
        );
    }
}

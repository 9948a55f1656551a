//! Webhook endpoints: added, rotated, disabled, enabled and deleted by an Account
//! Administrator, each audited; and the messages queued for them (see [`messages`]).

use super::audit::{self, AuditEvent};
use super::engine::{query, Db, Tx};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::webhook::{WebhookEvent, MAX_ENDPOINTS, ROTATION_OVERLAP};
use crate::domain::Actor;
use crate::error::AppError;
use sqlx::FromRow;

pub mod deliveries;
pub mod events;
pub mod messages;
mod queue;

/// An endpoint as its pages show it (never its secret).
#[derive(Debug, Clone, FromRow)]
pub struct EndpointRow {
    pub id: i64,
    pub url: String,
    pub description: String,
    /// Space-separated event ids.
    pub events: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<i64>,
    /// Until when a rotated-out secret still signs.
    pub old_secret_until: Option<i64>,
    pub created_at: i64,
}

impl EndpointRow {
    /// The events it asked for.
    pub fn event_list(&self) -> Vec<WebhookEvent> {
        self.events
            .split(' ')
            .filter_map(WebhookEvent::from_id)
            .collect()
    }
}

const COLUMNS: &str = "id, url, description, events, enabled, disabled_reason, failing_since,
                       old_secret_until, created_at";

/// The account's endpoints, oldest first.
pub async fn list(pool: &Db, account_id: i64) -> Result<Vec<EndpointRow>, AppError> {
    Ok(query(format!(
        "SELECT {COLUMNS} FROM webhook_endpoints WHERE account_id = $1 ORDER BY id LIMIT 100"
    ))
    .bind(account_id)
    .fetch_all::<EndpointRow>(pool)
    .await?)
}

/// Endpoint `id` of the account; `NotFound` for another account's.
pub async fn get(pool: &Db, account_id: i64, id: i64) -> Result<EndpointRow, AppError> {
    query(format!(
        "SELECT {COLUMNS} FROM webhook_endpoints WHERE account_id = $1 AND id = $2"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional::<EndpointRow>(pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// A checked endpoint about to be added.
pub struct NewEndpoint<'a> {
    pub url: &'a str,
    pub description: &'a str,
    pub events: &'a [WebhookEvent],
    /// Its signing secret (`whsec_…`).
    pub secret: &'a str,
}

/// Adds an endpoint for `actor`'s account; its id. `Refused` (422) past
/// [`MAX_ENDPOINTS`].
pub async fn add(
    pool: &Db,
    actor: &Actor,
    new: NewEndpoint<'_>,
    now: i64,
) -> Result<i64, AppError> {
    let mut tx = pool.begin_write().await?;
    // One add at a time per account, so the count below holds.
    lock_account(&mut tx, actor.account_id).await?;
    let count: i64 = query("SELECT COUNT(*) FROM webhook_endpoints WHERE account_id = $1")
        .bind(actor.account_id)
        .scalar(&mut tx)
        .await?;
    if count >= MAX_ENDPOINTS as i64 {
        return Err(AppError::Refused(format!(
            "An account can have at most {MAX_ENDPOINTS} webhook endpoints: delete one first."
        )));
    }
    let events: Vec<&str> = new.events.iter().map(|e| e.id()).collect();
    let id: i64 = query(
        "INSERT INTO webhook_endpoints (account_id, url, description, events, secret,
                                        created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(new.url)
    .bind(new.description)
    .bind(events.join(" "))
    .bind(new.secret)
    .bind(actor.user_id)
    .bind(now)
    .scalar(&mut tx)
    .await?;
    let mut detail = about(id, new.url);
    detail.facts.push(("Events".into(), events.join(", ")));
    record(&mut tx, actor, AuditAction::WebhookAdded, &detail, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Gives endpoint `id` the signing secret `secret`; the one it had keeps signing for
/// [`ROTATION_OVERLAP`].
pub async fn rotate(
    pool: &Db,
    actor: &Actor,
    id: i64,
    secret: &str,
    now: i64,
) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let url: Option<String> = query(
        "UPDATE webhook_endpoints
         SET old_secret = secret, old_secret_until = $1, secret = $2
         WHERE id = $3 AND account_id = $4 RETURNING url",
    )
    .bind(now + ROTATION_OVERLAP)
    .bind(secret)
    .bind(id)
    .bind(actor.account_id)
    .scalar_optional(&mut tx)
    .await?;
    let url = url.ok_or(AppError::NotFound)?;
    let detail = about(id, &url);
    record(
        &mut tx,
        actor,
        AuditAction::WebhookSecretRotated,
        &detail,
        now,
    )
    .await?;
    tx.commit().await.map_err(AppError::from)
}

/// Disables or enables endpoint `id`; whether it changed. Enabling forgets its failures,
/// and its waiting messages are tried at once.
pub async fn set_enabled(
    pool: &Db,
    actor: &Actor,
    id: i64,
    enabled: bool,
    now: i64,
) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    let url: Option<String> = query(
        "UPDATE webhook_endpoints
         SET enabled = $1, disabled_reason = NULL, failing_since = NULL
         WHERE id = $2 AND account_id = $3 AND enabled <> $1 RETURNING url",
    )
    .bind(enabled)
    .bind(id)
    .bind(actor.account_id)
    .scalar_optional(&mut tx)
    .await?;
    let Some(url) = url else {
        // Unchanged, or not the account's.
        get_in(&mut tx, actor.account_id, id).await?;
        return Ok(false);
    };
    if enabled {
        query(
            "UPDATE webhook_messages SET next_attempt_at = $1
             WHERE endpoint_id = $2 AND state = 'queued'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut tx)
        .await?;
        tx.wake_webhooks_on_commit();
    }
    let action = if enabled {
        AuditAction::WebhookEnabled
    } else {
        AuditAction::WebhookDisabled
    };
    record(&mut tx, actor, action, &about(id, &url), now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes endpoint `id` and its messages.
pub async fn delete(pool: &Db, actor: &Actor, id: i64, now: i64) -> Result<(), AppError> {
    let mut tx = pool.begin_write().await?;
    let url: Option<String> =
        query("DELETE FROM webhook_endpoints WHERE id = $1 AND account_id = $2 RETURNING url")
            .bind(id)
            .bind(actor.account_id)
            .scalar_optional(&mut tx)
            .await?;
    let url = url.ok_or(AppError::NotFound)?;
    record(
        &mut tx,
        actor,
        AuditAction::WebhookDeleted,
        &about(id, &url),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn get_in(tx: &mut Tx, account_id: i64, id: i64) -> Result<(), AppError> {
    let found: Option<i64> =
        query("SELECT id FROM webhook_endpoints WHERE account_id = $1 AND id = $2")
            .bind(account_id)
            .bind(id)
            .scalar_optional(&mut *tx)
            .await?;
    found.map(drop).ok_or(AppError::NotFound)
}

/// Takes the account's row lock until `tx` ends.
async fn lock_account(tx: &mut Tx, account_id: i64) -> Result<(), AppError> {
    query("UPDATE accounts SET id = id WHERE id = $1")
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// The facts every endpoint event names: its number and its URL's origin (a path or query
/// may hold a secret of the receiver's, and Activity is open to Implementation Specialists).
pub(crate) fn about(id: i64, url: &str) -> AuditDetail {
    AuditDetail {
        facts: vec![
            ("Endpoint".to_string(), format!("#{id}")),
            ("URL".to_string(), origin(url)),
        ],
        ..AuditDetail::default()
    }
}

/// `scheme://host[:port]/…` of `url` (all of it when it has no path).
pub(crate) fn origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.len() == rest.len() {
        url.to_string()
    } else {
        format!("{scheme}://{host}/…")
    }
}

async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: AuditAction,
    detail: &AuditDetail,
    now: i64,
) -> Result<(), AppError> {
    let event = AuditEvent {
        account_id: actor.account_id,
        token_id: None,
        actor_id: Some(actor.user_id),
        action,
        detail,
        at: now,
    };
    audit::record(tx, event).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_origin_leaves_out_the_path_and_query() {
        let origin = super::origin;
        assert_eq!(
            origin("https://hooks.example.com/T0/B1/secret?x=1"),
            "https://hooks.example.com/…"
        );
        assert_eq!(origin("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
        assert_eq!(origin("https://[::1]:8443?q"), "https://[::1]:8443/…");
    }
}

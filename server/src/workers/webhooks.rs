//! Delivers the webhook outbox: wakes when a change queues messages (and every 2 seconds
//! for retries and other instances' messages), attempts each endpoint's oldest waiting
//! message (endpoints in parallel, each one message at a time), signs it per Standard
//! Webhooks with the same `webhook-id` on every attempt, and records the outcome: delivered
//! on a 2xx answer, else retried with backoff for up to 3 days (see
//! `app::ssr::db::webhooks::messages` for the claims that keep instances apart).

use app::ssr::db::webhooks::messages::{self, Attempt, Claimed, Recorded};
use app::ssr::db::Db;
use app::ssr::webhook_signature::{signature_header, SigningKey};
use app::ssr::{now, now_millis};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub mod client;
pub use client::WebhookClient;

/// How often due messages are looked for when nothing wakes the worker.
pub const POLL: Duration = Duration::from_secs(2);
/// How many endpoints one pass attempts at once.
const BATCH: i64 = 32;
/// How much of an answer is kept for the endpoint's page, in bytes.
const SHOWN: usize = 256;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub delivered: usize,
    pub failed: usize,
    /// Endpoints disabled after failing for 3 days.
    pub disabled: usize,
}

/// Attempts every message due at `now` once, recording each outcome.
pub async fn deliver_due(pool: &Db, client: &Arc<WebhookClient>, now: i64) -> Result<Pass, String> {
    let due = messages::due(pool, now, BATCH)
        .await
        .map_err(|e| e.to_string())?;
    let mut attempts = tokio::task::JoinSet::new();
    for id in due {
        let (pool, client) = (pool.clone(), client.clone());
        attempts.spawn(async move { attempt(&pool, &client, id, now).await });
    }
    let mut pass = Pass::default();
    while let Some(done) = attempts.join_next().await {
        match done.map_err(|e| e.to_string())? {
            Ok(Some((outcome, disabled))) => {
                let label = match outcome {
                    Recorded::Delivered => "delivered",
                    Recorded::Retry(_) => "retried",
                    Recorded::GaveUp => "failed",
                    Recorded::Lost => continue,
                };
                crate::telemetry::prometheus::webhook(label);
                if outcome == Recorded::Delivered {
                    pass.delivered += 1;
                } else {
                    pass.failed += 1;
                }
                pass.disabled += usize::from(disabled);
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "webhook attempt not recorded"),
        }
    }
    Ok(pass)
}

/// Claims, sends and records message `id`; `None` when someone else holds it.
async fn attempt(
    pool: &Db,
    client: &WebhookClient,
    id: i64,
    now: i64,
) -> Result<Option<(Recorded, bool)>, String> {
    let Some(claimed) = messages::claim(pool, id, now)
        .await
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let attempt = send(client, &claimed).await;
    let jitter = rand::random::<f64>();
    let recorded = messages::record(pool, &claimed, &attempt, app::ssr::now(), jitter)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!(
        endpoint = claimed.endpoint_id,
        webhook_id = %claimed.webhook_id,
        attempt = claimed.attempts,
        status = attempt.status,
        outcome = ?recorded.0,
        "webhook attempt"
    );
    Ok(Some(recorded))
}

/// One signed POST of `claimed`, timed.
async fn send(client: &WebhookClient, claimed: &Claimed) -> Attempt {
    let started = now_millis();
    let at = now();
    let result = match signing_keys(claimed) {
        Ok(keys) => {
            let keys: Vec<&SigningKey> = keys.iter().collect();
            let body = claimed.payload.as_bytes();
            let headers = [
                ("webhook-id", claimed.webhook_id.clone()),
                ("webhook-timestamp", at.to_string()),
                (
                    "webhook-signature",
                    signature_header(&keys, &claimed.webhook_id, at, body),
                ),
            ];
            client.post(&claimed.url, &headers, body.to_vec()).await
        }
        Err(error) => Err(error),
    };
    let latency_ms = now_millis() - started;
    match result {
        Ok(answer) => Attempt {
            at,
            status: Some(answer.status),
            latency_ms,
            response: shown(&answer.head),
            delivered: (200..300).contains(&answer.status),
        },
        Err(error) => Attempt {
            at,
            status: None,
            latency_ms,
            response: error,
            delivered: false,
        },
    }
}

/// The current secret's key, then the rotated-out one's while it still signs.
fn signing_keys(claimed: &Claimed) -> Result<Vec<SigningKey>, String> {
    std::iter::once(&claimed.secret)
        .chain(claimed.old_secret.as_ref())
        .map(|secret| {
            SigningKey::parse(secret)
                .map_err(|_| "the endpoint's signing secret is unreadable".to_string())
        })
        .collect()
}

/// The first bytes of an answer as text: control characters as spaces, cut at
/// [`SHOWN`] bytes on a character boundary.
fn shown(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(&head[..head.len().min(SHOWN)]);
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// Delivers the webhook outbox until `stop` turns true (finishing the pass under way);
/// prunes old messages every hour.
pub async fn run(pool: Db, client: Arc<WebhookClient>, mut stop: watch::Receiver<bool>) {
    let mut pruned_at = 0;
    while !*stop.borrow() {
        let busy = match deliver_due(&pool, &client, now()).await {
            Ok(pass) if pass != Pass::default() => {
                tracing::info!(?pass, "webhook pass");
                // Each endpoint's next message may be due now: no wait.
                pass.delivered > 0
            }
            Ok(_) => false,
            Err(error) => {
                tracing::warn!(%error, "webhook pass failed");
                false
            }
        };
        if now() - pruned_at >= 3600 {
            pruned_at = now();
            if let Err(error) = app::ssr::db::webhooks::deliveries::prune(&pool, pruned_at).await {
                tracing::warn!(%error, "could not prune old webhook messages");
            }
        }
        if busy {
            continue;
        }
        tokio::select! {
            _ = pool.webhooks_queued() => {}
            _ = tokio::time::sleep(POLL) => {}
            _ = stop.wait_for(|stop| *stop) => {}
        }
    }
    tracing::info!("webhook worker stopped");
}

#[cfg(test)]
mod tests {
    #[test]
    fn answers_are_shown_as_one_short_line() {
        assert_eq!(super::shown(b"  ok\r\n{\"a\":1}\x00"), "ok  {\"a\":1}");
        assert_eq!(super::shown(&[b'x'; 1000]).len(), 256);
        assert_eq!(super::shown(&[0xff, b'a']), "\u{fffd}a");
    }
}

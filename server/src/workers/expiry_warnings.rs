//! Warns the contacts of tokens about to expire (a week and a day before), and expires
//! approved token requests left unclaimed (their tokens disabled), checking every minute;
//! see `app::ssr::db::expiry_warnings` for how each warning goes out once.

use app::ssr::db::{expiry_warnings, token_requests, Db};
use app::ssr::now;
use std::time::Duration;
use tokio::sync::watch;

/// How often the due warnings are looked for.
const EVERY: Duration = Duration::from_secs(60);

/// Looks for due warnings every minute (the first at once) until `stop` turns true.
pub async fn run(pool: Db, mut stop: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        match expiry_warnings::queue_due(&pool, now()).await {
            Ok(0) => {}
            // Their commits woke the outbox worker.
            Ok(warned) => tracing::info!(tokens = warned, "expiry warnings queued"),
            Err(error) => tracing::warn!(%error, "could not queue expiry warnings"),
        }
        match expiry_warnings::announce_expired(&pool, now()).await {
            Ok(0) => {}
            Ok(expired) => tracing::info!(tokens = expired, "token.expired webhooks queued"),
            Err(error) => tracing::warn!(%error, "could not announce expired tokens"),
        }
        match token_requests::expire_unclaimed(&pool, now()).await {
            Ok(0) => {}
            Ok(expired) => tracing::info!(requests = expired, "unclaimed token requests expired"),
            Err(error) => tracing::warn!(%error, "could not expire unclaimed token requests"),
        }
    }
}

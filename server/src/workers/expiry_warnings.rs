//! Warns the contacts of tokens about to expire (a week and a day before), checking every
//! minute; see `app::ssr::db::expiry_warnings` for how each warning goes out once.

use app::ssr::db::{expiry_warnings, Db};
use app::ssr::now;
use app::ssr::state::Outbox;
use std::time::Duration;

/// How often the due warnings are looked for.
const EVERY: Duration = Duration::from_secs(60);

/// Starts the check (the first at once).
pub fn start(pool: &Db, outbox: Outbox) {
    let pool = pool.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        loop {
            every.tick().await;
            if pool.is_closed() {
                break;
            }
            match expiry_warnings::queue_due(&pool, now()).await {
                Ok(0) => {}
                Ok(warned) => {
                    tracing::info!(tokens = warned, "expiry warnings queued");
                    outbox.wake();
                }
                Err(error) => tracing::warn!(%error, "could not queue expiry warnings"),
            }
        }
    });
}

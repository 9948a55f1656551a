//! Deletes expired sessions (idle or past their absolute lifetime) now and then, so
//! sessions nobody comes back to don't stay in the database.

use app::ssr::db::Db;
use app::ssr::{auth, db::sessions, now};
use std::time::Duration;
use tokio::sync::watch;

/// How often expired sessions are deleted.
pub const PRUNE_EVERY: Duration = Duration::from_secs(5 * 60);

/// Deletes expired sessions every [`PRUNE_EVERY`] (the first at once) until `stop` turns
/// true.
pub async fn run(pool: Db, mut stop: watch::Receiver<bool>) {
    let mut every = tokio::time::interval(PRUNE_EVERY);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            _ = stop.wait_for(|stop| *stop) => return,
        }
        match sessions::prune(&pool, now(), auth::idle_timeout_secs()).await {
            Ok(0) => {}
            Ok(ended) => tracing::info!(sessions = ended, "expired sessions deleted"),
            Err(error) => tracing::warn!(%error, "could not delete expired sessions"),
        }
    }
}

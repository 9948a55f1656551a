//! "Last used", coalesced: requests note the time in memory and a background task writes
//! every token's latest time in one transaction a second (`TOKENSMITH_LAST_USED_FLUSH_SECS`), so no request waits on a disk
//! flush of its own.

use app::ssr::db::token_auth;
use app::ssr::db::Db;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

/// Pending "last used" times by token id.
#[derive(Clone, Default)]
pub struct LastUsed {
    pending: Arc<Mutex<HashMap<i64, i64>>>,
}

impl LastUsed {
    /// Notes that `token_id` authenticated at `at` (Unix seconds).
    pub fn note(&self, token_id: i64, at: i64) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let entry = pending.entry(token_id).or_insert(at);
        *entry = (*entry).max(at);
    }

    /// Writes everything noted so far; on failure the times are kept for the next try.
    pub async fn flush(&self, pool: &Db) -> Result<usize, String> {
        let batch: Vec<(i64, i64)> = {
            let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
            pending.drain().collect()
        };
        if let Err(error) = token_auth::record_last_used(pool, &batch).await {
            for (id, at) in batch {
                self.note(id, at);
            }
            return Err(error.to_string());
        }
        Ok(batch.len())
    }

    /// Flushes `every` (a second by default) until `stop` turns true, then once more and returns, so a
    /// call answered just before a graceful stop still shows as "last used".
    pub async fn flush_every(self, pool: Db, every: Duration, mut stop: watch::Receiver<bool>) {
        let mut tick = tokio::time::interval(every);
        loop {
            let stopping = tokio::select! {
                _ = tick.tick() => false,
                _ = stop.wait_for(|stop| *stop) => true,
            };
            if let Err(error) = self.flush(&pool).await {
                tracing::warn!(%error, "could not record last-used times; will retry");
            }
            if stopping {
                return;
            }
        }
    }
}

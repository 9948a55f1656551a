//! Token usage, counted without slowing the sandbox: each request adds one to a counter in
//! memory (a short lock on one of 16 shards, chosen by token), and a background task writes
//! the counts once a minute in one transaction, and once more at a graceful stop. A crash
//! loses at most the last minute's counts.

use app::domain::usage::day_of;
use app::domain::ScopeId;
use app::ssr::db::usage::{self, Count, LastSeen};
use app::ssr::db::Db;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

const SHARDS: usize = 16;
/// The longest `User-Agent` kept.
const MAX_USER_AGENT: usize = 256;

/// Counts by `(token, day, scope)`: `[allowed, refused, limited]`; no scope for a refusal.
type Counts = HashMap<(i64, i64, Option<ScopeId>), [i64; 3]>;

#[derive(Default)]
struct Shard {
    counts: Counts,
    last_seen: HashMap<i64, (Option<IpAddr>, Option<String>)>,
}

/// The counters, shared by every request.
#[derive(Clone)]
pub struct Usage {
    shards: Arc<[Mutex<Shard>; SHARDS]>,
}

impl Default for Usage {
    fn default() -> Self {
        Self {
            shards: Arc::new(std::array::from_fn(|_| Mutex::new(Shard::default()))),
        }
    }
}

impl Usage {
    fn shard(&self, token_id: i64) -> std::sync::MutexGuard<'_, Shard> {
        let index = token_id.rem_euclid(SHARDS as i64) as usize;
        self.shards[index].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// An allowed request of `token_id` with `scope`, from `client` with `user_agent`.
    pub fn allowed(
        &self,
        token_id: i64,
        scope: ScopeId,
        at: i64,
        client: Option<IpAddr>,
        user_agent: Option<&str>,
    ) {
        let mut shard = self.shard(token_id);
        shard
            .counts
            .entry((token_id, day_of(at), Some(scope)))
            .or_default()[0] += 1;
        // Usually the same caller as last time: compared in place, copied only on a change.
        let agent = user_agent.map(|ua| match ua.char_indices().nth(MAX_USER_AGENT) {
            Some((end, _)) => &ua[..end],
            None => ua,
        });
        let seen = shard.last_seen.entry(token_id).or_insert((None, None));
        if seen.0 != client || seen.1.as_deref() != agent {
            *seen = (client, agent.map(str::to_string));
        }
    }

    /// A request of `token_id` that was refused (its credentials were good).
    pub fn refused(&self, token_id: i64, at: i64) {
        self.shard(token_id)
            .counts
            .entry((token_id, day_of(at), None))
            .or_default()[1] += 1;
    }

    /// A request of `token_id` its scopes allowed and its rate limit or quota refused.
    pub fn limited(&self, token_id: i64, at: i64) {
        self.shard(token_id)
            .counts
            .entry((token_id, day_of(at), None))
            .or_default()[2] += 1;
    }

    fn drain(&self) -> (Vec<Count>, Vec<LastSeen>) {
        let mut counts = Vec::new();
        let mut last_seen = Vec::new();
        for shard in self.shards.iter() {
            let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
            counts.extend(
                shard
                    .counts
                    .drain()
                    .map(|((token, day, scope), [a, r, l])| {
                        let scope = scope.map(String::from).unwrap_or_default();
                        (token, day, scope, a, r, l)
                    }),
            );
            last_seen.extend(shard.last_seen.drain().map(|(token, (ip, agent))| {
                let address = ip.map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
                (token, address, agent)
            }));
        }
        // One order on every instance, so two writers on PostgreSQL never wait on each
        // other's rows the other way round (a deadlock).
        counts.sort_unstable_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        last_seen.sort_unstable_by_key(|seen| seen.0);
        (counts, last_seen)
    }

    /// Writes everything counted so far; on failure the counts are kept for the next try.
    pub async fn flush(&self, pool: &Db) -> Result<usize, String> {
        let (counts, last_seen) = self.drain();
        if let Err(error) = usage::record(pool, &counts, &last_seen).await {
            self.restore(counts, last_seen);
            return Err(error.to_string());
        }
        Ok(counts.len())
    }

    fn restore(&self, counts: Vec<Count>, last_seen: Vec<LastSeen>) {
        for (token, day, scope, allowed, refused, limited) in counts {
            let scope = ScopeId::parse(&scope).ok();
            let mut shard = self.shard(token);
            let entry = shard.counts.entry((token, day, scope)).or_default();
            entry[0] += allowed;
            entry[1] += refused;
            entry[2] += limited;
        }
        for (token, address, agent) in last_seen {
            let mut shard = self.shard(token);
            shard
                .last_seen
                .entry(token)
                .or_insert((address.parse().ok(), agent));
        }
    }

    /// Flushes every `every` until `stop` turns true, then once more and returns.
    pub async fn flush_every(self, pool: Db, every: Duration, mut stop: watch::Receiver<bool>) {
        let mut tick = tokio::time::interval(every);
        tick.tick().await;
        loop {
            let stopping = tokio::select! {
                _ = tick.tick() => false,
                _ = stop.wait_for(|stop| *stop) => true,
            };
            // At a stop there is no next time: try a few times before giving up.
            let tries = if stopping { 3 } else { 1 };
            for attempt in 1..=tries {
                match self.flush(&pool).await {
                    Ok(_) => break,
                    Err(error) if attempt < tries => {
                        tracing::warn!(%error, "could not record token usage; retrying");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                    Err(error) => {
                        tracing::warn!(%error, "could not record token usage; will retry")
                    }
                }
            }
            if stopping {
                return;
            }
        }
    }
}

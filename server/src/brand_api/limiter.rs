//! The brand API's rate limits: in memory with one instance (SQLite), in the database
//! when several instances share it (PostgreSQL), so a limit holds whichever instance a
//! load balancer picks.

use super::rate_limit::RateLimiter;
use app::ssr::db::{rate_counts, Db, Engine};

/// Events per key per minute, counted where every instance sees them.
#[derive(Clone)]
pub enum Limiter {
    /// This process only.
    Memory(RateLimiter),
    /// The database: at most `limit` per key over the last one to two minutes.
    Shared {
        /// The database.
        db: Db,
        /// Events allowed.
        limit: u32,
    },
}

/// One minute in 256 events or so also forgets old minutes.
const PRUNE_ONE_IN: u64 = 256;

impl Limiter {
    /// At most `limit` events per key per minute, shared when `db` is PostgreSQL.
    pub fn per_minute(db: &Db, limit: u32) -> Self {
        match db.engine() {
            Engine::Sqlite => Limiter::Memory(RateLimiter::per_minute(limit)),
            Engine::Postgres => Limiter::Shared {
                db: db.clone(),
                limit,
            },
        }
    }

    /// `Err(seconds to wait)` when `key` has used up its window. A database error lets
    /// the request through (and is logged): a limit must not take the API down.
    pub async fn check(&self, key: &str) -> Result<(), u64> {
        match self {
            Limiter::Memory(limiter) => limiter.check(key),
            Limiter::Shared { db, limit } => {
                let (minute, wait) = minute_now();
                match rate_counts::recent(db, key, minute).await {
                    Ok(count) if count >= i64::from(*limit) => Err(wait),
                    Ok(_) => Ok(()),
                    Err(error) => {
                        tracing::error!(?error, "rate limit not checked");
                        Ok(())
                    }
                }
            }
        }
    }

    /// Counts one event for `key`.
    pub async fn record(&self, key: &str) {
        match self {
            Limiter::Memory(limiter) => limiter.record(key),
            Limiter::Shared { db, .. } => {
                let (minute, _) = minute_now();
                if let Err(error) = rate_counts::add(db, key, minute).await {
                    tracing::error!(?error, "rate limit event not counted");
                }
                prune_now_and_then(db, minute).await;
            }
        }
    }

    /// Checks and counts one event in one step. Shared, a refused event counts too (the
    /// count is one atomic upsert), so a caller over the limit waits a full window.
    pub async fn take(&self, key: &str) -> Result<(), u64> {
        match self {
            Limiter::Memory(limiter) => limiter.take(key),
            Limiter::Shared { db, limit } => {
                let (minute, wait) = minute_now();
                prune_now_and_then(db, minute).await;
                match rate_counts::add(db, key, minute).await {
                    Ok(count) if count > i64::from(*limit) => Err(wait),
                    Ok(_) => Ok(()),
                    Err(error) => {
                        tracing::error!(?error, "rate limit not checked");
                        Ok(())
                    }
                }
            }
        }
    }
}

/// The current minute (Unix minutes) and the seconds until the window frees up.
fn minute_now() -> (i64, u64) {
    let now = app::ssr::now();
    let into = now.rem_euclid(60);
    (now.div_euclid(60), u64::try_from(60 - into).unwrap_or(60))
}

async fn prune_now_and_then(db: &Db, minute: i64) {
    if rand::random::<u64>().is_multiple_of(PRUNE_ONE_IN) {
        if let Err(error) = rate_counts::prune(db, minute).await {
            tracing::warn!(?error, "old rate counts not pruned");
        }
    }
}

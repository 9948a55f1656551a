//! The brand API's rate limits: events per key per minute, written once against
//! [`Counters`] (in this process on SQLite, in the database on PostgreSQL, so a limit holds
//! whichever instance a load balancer picks).

use app::ssr::counters::{CountError, Counters, Limit};
use app::ssr::db::Db;
use std::time::Duration;

/// At most so many events per key per minute.
#[derive(Clone)]
pub struct RateLimit {
    counts: Counters,
    limit: Limit,
}

impl RateLimit {
    /// At most `events` per key per minute, counted where every instance on `db` sees them.
    pub fn per_minute(db: &Db, events: u32) -> Self {
        Self::counting_in(Counters::shared_by_instances_of(db), events)
    }

    /// At most `events` per key per minute, counted in `counts`.
    pub fn counting_in(counts: Counters, events: u32) -> Self {
        Self {
            counts,
            limit: Limit::new(events, Duration::from_secs(60)),
        }
    }

    /// `Err(seconds to wait)` when `key` has used up its window, counting nothing. A
    /// database error lets the request through (and is logged): a limit must not take
    /// the API down.
    ///
    /// Failures are counted after the credentials were checked, so a burst of concurrent
    /// guesses on one key can exceed the limit by the requests in flight at that moment
    /// (bounded by the connection cap); counting every attempt up front instead would
    /// refuse a busy caller's good requests while they are in flight.
    pub async fn check(&self, key: &str) -> Result<(), u64> {
        let now = app::ssr::now();
        match self.counts.peek(key, now).await {
            Ok(Some(window)) if self.limit.reached_by(&window) => {
                Err(window.retry_after(now).as_secs())
            }
            Ok(_) => Ok(()),
            Err(error) => {
                tracing::error!(?error, "rate limit not checked");
                Ok(())
            }
        }
    }

    /// Counts one event for `key`.
    pub async fn record(&self, key: &str) {
        if let Err(CountError::Store(error)) =
            self.counts.add(key, self.limit, app::ssr::now()).await
        {
            tracing::error!(?error, "rate limit event not counted");
        }
    }

    /// Counts one event for `key` and checks it in one step: `Err(seconds to wait)` when
    /// it is past the limit (a refused event counts too). A key that can't get a window
    /// (memory full of windows at their limit) waits a second.
    pub async fn take(&self, key: &str) -> Result<(), u64> {
        let now = app::ssr::now();
        match self.counts.add(key, self.limit, now).await {
            Ok(window) if self.limit.exceeded_by(&window) => Err(window.retry_after(now).as_secs()),
            Ok(_) => Ok(()),
            Err(CountError::Full) => Err(1),
            Err(CountError::Store(error)) => {
                tracing::error!(?error, "rate limit not checked");
                Ok(())
            }
        }
    }

    /// Keys held in this process's memory (`None` when they live in the database).
    pub fn held_in_memory(&self) -> Option<usize> {
        self.counts.held_in_memory()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_past_the_limit_and_tells_how_long_to_wait() {
        let limit = RateLimit::counting_in(Counters::in_memory(), 2);
        limit.record("ip").await;
        assert!(limit.check("ip").await.is_ok());
        limit.record("ip").await;
        let wait = limit.check("ip").await.unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(limit.check("other").await.is_ok());
    }

    #[tokio::test]
    async fn take_checks_and_counts_at_once() {
        let limit = RateLimit::counting_in(Counters::in_memory(), 1);
        assert!(limit.take("key").await.is_ok());
        assert!(limit.take("key").await.is_err());
        assert!(limit.take("other").await.is_ok());
        assert_eq!(limit.held_in_memory(), Some(2));
    }
}

//! A fixed-window counter per key (client IP, introspection key): enough to make guessing
//! secrets by volume hopeless, without any shared store.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Beyond this many keys, windows that have ended are dropped.
const PRUNE_AT: usize = 10_000;

/// Counts events per key per minute.
#[derive(Clone)]
pub struct RateLimiter {
    limit: u32,
    windows: Arc<Mutex<HashMap<String, (Instant, u32)>>>,
}

impl RateLimiter {
    /// At most `limit` events per key per minute.
    pub fn per_minute(limit: u32) -> Self {
        Self {
            limit,
            windows: Arc::default(),
        }
    }

    /// `Err(seconds to wait)` when `key` has used up its window.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    /// Counts one event for `key`.
    pub fn record(&self, key: &str) {
        self.record_at(key, Instant::now());
    }

    /// Counts one event and says whether it was within the limit.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        self.check_at(key, now)?;
        self.record_at(key, now);
        Ok(())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match windows.get(key) {
            Some(&(start, count)) if now < start + WINDOW && count >= self.limit => {
                let left = (start + WINDOW).saturating_duration_since(now);
                Err(left.as_secs().max(1))
            }
            _ => Ok(()),
        }
    }

    fn record_at(&self, key: &str, now: Instant) {
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() >= PRUNE_AT {
            windows.retain(|_, (start, _)| now < *start + WINDOW);
        }
        let entry = windows.entry(key.to_string()).or_insert((now, 0));
        if now >= entry.0 + WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_until_the_window_ends() {
        let limiter = RateLimiter::per_minute(2);
        let start = Instant::now();
        limiter.record_at("ip", start);
        assert!(limiter.check_at("ip", start).is_ok());
        limiter.record_at("ip", start);
        let wait = limiter
            .check_at("ip", start + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, 40);
        assert!(limiter.check_at("other", start).is_ok());
        assert!(limiter.check_at("ip", start + WINDOW).is_ok());
        limiter.record_at("ip", start + WINDOW);
        assert!(limiter.check_at("ip", start + WINDOW).is_ok());
    }
}

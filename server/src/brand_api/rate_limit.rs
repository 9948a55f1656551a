//! Counting events per key (a client address and the credential it uses, an introspection
//! key) to make guessing by volume hopeless, with bounded memory and constant time per
//! request, without any shared store.
//!
//! Counts live in two generations of a minute each: a key's count is what it used in the
//! current generation plus the previous one (a sliding window of one to two minutes).
//! Generations turn over every minute, or early when the current one is full, so memory
//! never holds more than two generations' worth of keys.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);
/// Keys one generation holds before it turns over early.
pub const CAPACITY: usize = 100_000;

/// Counts events per key per minute.
#[derive(Clone)]
pub struct RateLimiter {
    limit: u32,
    inner: Arc<Mutex<Generations>>,
}

struct Generations {
    started: Instant,
    current: HashMap<String, u32>,
    previous: HashMap<String, u32>,
    capacity: usize,
}

impl Generations {
    fn turn_over_if_due(&mut self, now: Instant) {
        let age = now.saturating_duration_since(self.started);
        if age >= WINDOW * 2 {
            self.previous = HashMap::new();
            self.current = HashMap::new();
            self.started = now;
        } else if age >= WINDOW || self.current.len() >= self.capacity {
            self.previous = std::mem::take(&mut self.current);
            self.started = now;
        }
    }

    fn count(&self, key: &str) -> u32 {
        self.current.get(key).copied().unwrap_or(0) + self.previous.get(key).copied().unwrap_or(0)
    }
}

impl RateLimiter {
    /// At most `limit` events per key per minute.
    pub fn per_minute(limit: u32) -> Self {
        Self::with_capacity(limit, CAPACITY)
    }

    /// As [`Self::per_minute`], holding at most `capacity` keys per generation.
    pub fn with_capacity(limit: u32, capacity: usize) -> Self {
        Self {
            limit,
            inner: Arc::new(Mutex::new(Generations {
                started: Instant::now(),
                current: HashMap::new(),
                previous: HashMap::new(),
                capacity: capacity.max(1),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Generations> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `Err(seconds to wait)` when `key` has used up its window.
    ///
    /// Failures are counted after the credentials were checked, so a burst of concurrent
    /// guesses on one key can exceed the limit by the requests in flight at that moment
    /// (bounded by the connection cap); counting every attempt up front instead would
    /// refuse a busy caller's good requests while they are in flight.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.check_at(key, Instant::now())
    }

    /// Counts one event for `key`.
    pub fn record(&self, key: &str) {
        self.record_at(key, Instant::now());
    }

    /// Checks and counts one event in one step (one lock): whether it was within the limit.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut generations = self.lock();
        generations.turn_over_if_due(now);
        Self::refuse(&generations, key, self.limit, now)?;
        *generations.current.entry(key.to_string()).or_insert(0) += 1;
        Ok(())
    }

    /// Keys held now, in both generations.
    pub fn len(&self) -> usize {
        let generations = self.lock();
        generations.current.len() + generations.previous.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn refuse(generations: &Generations, key: &str, limit: u32, now: Instant) -> Result<(), u64> {
        if generations.count(key) >= limit {
            let ends = generations.started + WINDOW;
            return Err(ends.saturating_duration_since(now).as_secs().max(1));
        }
        Ok(())
    }

    fn check_at(&self, key: &str, now: Instant) -> Result<(), u64> {
        let mut generations = self.lock();
        generations.turn_over_if_due(now);
        Self::refuse(&generations, key, self.limit, now)
    }

    fn record_at(&self, key: &str, now: Instant) {
        let mut generations = self.lock();
        generations.turn_over_if_due(now);
        *generations.current.entry(key.to_string()).or_insert(0) += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_past_the_limit_until_the_window_slides_by() {
        let limiter = RateLimiter::per_minute(2);
        let start = limiter.lock().started;
        limiter.record_at("ip", start);
        assert!(limiter.check_at("ip", start).is_ok());
        limiter.record_at("ip", start);
        let wait = limiter
            .check_at("ip", start + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, 40);
        assert!(limiter.check_at("other", start).is_ok());
        // The next minute still remembers the last one; the one after forgets it.
        assert!(limiter.check_at("ip", start + WINDOW).is_err());
        assert!(limiter.check_at("ip", start + WINDOW * 2).is_ok());
    }

    #[test]
    fn take_checks_and_counts_at_once() {
        let limiter = RateLimiter::per_minute(1);
        assert!(limiter.take("key").is_ok());
        assert!(limiter.take("key").is_err());
        assert!(limiter.take("other").is_ok());
    }

    #[test]
    fn memory_is_bounded_by_two_generations() {
        let limiter = RateLimiter::with_capacity(5, 1000);
        for i in 0..10_000 {
            limiter.record(&format!("10.0.{}.{}", i / 256, i % 256));
        }
        assert!(limiter.len() <= 2000, "{}", limiter.len());
    }
}

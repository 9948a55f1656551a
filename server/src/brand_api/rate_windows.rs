//! Tokens' **Rate limit**s, counted in this process's memory: calls per token in fixed
//! windows aligned to the UTC second, minute or hour, so a client's `RateLimit` header
//! tells it exactly when its window starts again. No database work at all.
//!
//! Each instance counts the calls it answers: behind a load balancer spreading calls over
//! N instances a token gets at most N times its rate in a window (a busy token spread
//! evenly, as nginx's round robin does, gets about that). A window is only counted for
//! calls its token's scopes allowed.

use app::domain::limits::RateLimit;
use std::collections::HashMap;
use std::sync::Mutex;

const SHARDS: usize = 16;
/// The most tokens counted at once per shard; past it windows that ended are dropped, and
/// if none has, the shard starts again empty (every token's count lost for one window).
const MAX_PER_SHARD: usize = 8_192;

/// One token's window: when it started (Unix seconds) and the calls counted in it.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    length: i64,
    calls: u32,
}

/// What a rate limit said of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateState {
    /// Calls left in the window after this one.
    pub remaining: u64,
    /// Seconds until the window starts again.
    pub reset: u64,
    /// Whether the call was allowed (and counted).
    pub allowed: bool,
}

/// Every token's window, in shards chosen by token.
pub struct RateWindows {
    shards: [Mutex<HashMap<i64, Window>>; SHARDS],
}

impl Default for RateWindows {
    fn default() -> Self {
        Self {
            shards: std::array::from_fn(|_| Mutex::new(HashMap::new())),
        }
    }
}

impl RateWindows {
    /// Counts a call of `token_id` at `now` (Unix seconds) against `limit`, unless its
    /// window is full.
    pub fn take(&self, token_id: i64, limit: RateLimit, now: i64) -> RateState {
        let length = i64::from(limit.per.seconds());
        let start = now - now.rem_euclid(length);
        let reset = u64::try_from(start + length - now).unwrap_or(1);
        let index = token_id.rem_euclid(SHARDS as i64) as usize;
        let mut shard = self.shards[index].lock().unwrap_or_else(|e| e.into_inner());
        if shard.len() >= MAX_PER_SHARD && !shard.contains_key(&token_id) {
            shard.retain(|_, w| w.start + w.length > now);
            if shard.len() >= MAX_PER_SHARD {
                shard.clear();
            }
        }
        let window = shard.entry(token_id).or_insert(Window {
            start,
            length,
            calls: 0,
        });
        if window.start != start || window.length != length {
            *window = Window {
                start,
                length,
                calls: 0,
            };
        }
        let allowed = window.calls < limit.requests;
        if allowed {
            window.calls += 1;
        }
        RateState {
            remaining: u64::from(limit.requests.saturating_sub(window.calls)),
            reset,
            allowed,
        }
    }

    /// What `token_id`'s window holds at `now`, counting nothing.
    pub fn peek(&self, token_id: i64, limit: RateLimit, now: i64) -> RateState {
        let length = i64::from(limit.per.seconds());
        let start = now - now.rem_euclid(length);
        let index = token_id.rem_euclid(SHARDS as i64) as usize;
        let shard = self.shards[index].lock().unwrap_or_else(|e| e.into_inner());
        let calls = shard
            .get(&token_id)
            .filter(|w| w.start == start && w.length == length)
            .map_or(0, |w| w.calls);
        RateState {
            remaining: u64::from(limit.requests.saturating_sub(calls)),
            reset: u64::try_from(start + length - now).unwrap_or(1),
            allowed: calls < limit.requests,
        }
    }

    /// Tokens counted now.
    pub fn held(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::limits::Per;

    #[test]
    fn a_window_holds_its_requests_then_starts_again_on_the_clock() {
        let windows = RateWindows::default();
        let limit = RateLimit {
            requests: 2,
            per: Per::Minute,
        };
        // 30 seconds into a minute.
        let now = 1_800_000_030;
        assert_eq!(
            windows.take(7, limit, now),
            RateState {
                remaining: 1,
                reset: 30,
                allowed: true
            }
        );
        assert!(windows.take(7, limit, now + 1).allowed);
        let refused = windows.take(7, limit, now + 29);
        assert_eq!(
            (refused.allowed, refused.remaining, refused.reset),
            (false, 0, 1)
        );
        // Another token has its own window; the next minute starts afresh.
        assert!(windows.take(8, limit, now).allowed);
        // A look counts nothing.
        assert_eq!(windows.peek(7, limit, now + 29), refused);
        assert_eq!(windows.peek(9, limit, now).remaining, 2);
        assert!(windows.take(7, limit, now + 30).allowed);
    }

    #[test]
    fn a_changed_period_starts_a_new_window() {
        let windows = RateWindows::default();
        let per_hour = RateLimit {
            requests: 1,
            per: Per::Hour,
        };
        assert!(windows.take(1, per_hour, 3_600).allowed);
        assert!(!windows.take(1, per_hour, 3_601).allowed);
        let per_second = RateLimit {
            requests: 1,
            per: Per::Second,
        };
        assert!(windows.take(1, per_second, 3_601).allowed);
    }

    #[test]
    fn memory_is_bounded() {
        let windows = RateWindows::default();
        let limit = RateLimit {
            requests: 1,
            per: Per::Second,
        };
        for token in 0..(SHARDS * MAX_PER_SHARD + 100) as i64 {
            windows.take(token, limit, 10);
        }
        assert!(windows.held() <= SHARDS * MAX_PER_SHARD);
    }
}

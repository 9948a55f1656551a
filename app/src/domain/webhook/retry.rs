//! How a message is retried: exponential backoff with jitter, for up to 3 days from when
//! it was queued; and where a message stands.

/// How long a message is retried, in seconds from when it was queued; an endpoint failing
/// this long is disabled.
pub const GIVE_UP_AFTER: i64 = 3 * 24 * 3600;
/// The first retry's delay, in seconds.
const FIRST_RETRY: i64 = 5;
/// The longest delay between attempts, in seconds.
const LONGEST_WAIT: i64 = 3600;

/// Seconds to wait after failed attempt number `attempts` (1 for the first): 5 s doubling
/// up to an hour, each stretched or shrunk by up to a fifth as `jitter` (0 to 1) says, so
/// endpoints that failed together aren't retried together.
pub fn retry_delay(attempts: i64, jitter: f64) -> i64 {
    let doublings = (attempts - 1).clamp(0, 20) as u32;
    let base = FIRST_RETRY.saturating_mul(1 << doublings).min(LONGEST_WAIT) as f64;
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    (base * factor).round().max(1.0) as i64
}

/// Whether a message queued at `created_at` is given up on after a failed attempt at
/// `now`.
pub fn gives_up(created_at: i64, now: i64) -> bool {
    now - created_at >= GIVE_UP_AFTER
}

/// Where a message stands: the `state` column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DeliveryState {
    /// Waiting for its (next) attempt.
    Queued,
    /// An attempt holds it.
    Sending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Given up on after 3 days of failures.
    Failed,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 4] = [
        DeliveryState::Queued,
        DeliveryState::Sending,
        DeliveryState::Delivered,
        DeliveryState::Failed,
    ];

    /// The stored value.
    pub fn id(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    /// As shown.
    pub fn label(self) -> &'static str {
        match self {
            DeliveryState::Queued => "Queued",
            DeliveryState::Sending => "Sending",
            DeliveryState::Delivered => "Delivered",
            DeliveryState::Failed => "Failed",
        }
    }

    /// The state stored as `id`.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_five_seconds_to_an_hour_within_a_fifth() {
        let middle: Vec<i64> = (1..=12).map(|n| retry_delay(n, 0.5)).collect();
        assert_eq!(
            middle,
            [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(retry_delay(1, 0.0), 4);
        assert_eq!(retry_delay(1, 1.0), 6);
        assert_eq!(retry_delay(40, 1.0), 4320);
        assert_eq!(retry_delay(0, 0.5), 5);
    }

    #[test]
    fn three_days_of_retries_then_it_gives_up() {
        assert!(!gives_up(1000, 1000 + GIVE_UP_AFTER - 1));
        assert!(gives_up(1000, 1000 + GIVE_UP_AFTER));
        let mut at = 0;
        let mut attempts = 1;
        while !gives_up(0, at) {
            at += retry_delay(attempts, 0.5);
            attempts += 1;
        }
        assert!(
            (80..=90).contains(&attempts),
            "{attempts} attempts in 3 days"
        );
    }

    #[test]
    fn states_round_trip() {
        for state in DeliveryState::ALL {
            assert_eq!(DeliveryState::from_id(state.id()), Some(state));
        }
        assert_eq!(DeliveryState::from_id("sent"), None);
    }
}

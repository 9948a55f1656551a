//! The time tokens' limits are counted in: the system's, which tests can stop at an
//! instant to cross a UTC day or month without waiting for one.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// No instant set: the system's time.
const SYSTEM: i64 = i64::MIN;

/// The system clock, or an instant only tests set.
#[derive(Clone)]
pub struct Clock {
    stopped_at: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            stopped_at: Arc::new(AtomicI64::new(SYSTEM)),
        }
    }
}

impl Clock {
    /// Now, Unix seconds.
    pub fn now(&self) -> i64 {
        match self.stopped_at.load(Ordering::Relaxed) {
            SYSTEM => app::ssr::now(),
            at => at,
        }
    }

    /// Makes it `at` (Unix seconds) until set again.
    #[cfg(feature = "test-hooks")]
    pub fn set(&self, at: i64) {
        self.stopped_at.store(at, Ordering::Relaxed);
    }
}

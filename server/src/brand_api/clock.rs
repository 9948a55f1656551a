//! The time tokens' limits are counted in: the system's, which tests can move forward to
//! cross a UTC day or month without waiting for one.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// The system clock, plus an offset only tests set.
#[derive(Clone, Default)]
pub struct Clock {
    offset: Arc<AtomicI64>,
}

impl Clock {
    /// Now, Unix seconds.
    pub fn now(&self) -> i64 {
        app::ssr::now() + self.offset.load(Ordering::Relaxed)
    }

    /// Makes it `at` (Unix seconds) now; the clock runs on from there.
    #[cfg(feature = "test-hooks")]
    pub fn set(&self, at: i64) {
        self.offset.store(at - app::ssr::now(), Ordering::Relaxed);
    }
}

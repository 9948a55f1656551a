//! A quota's use in its window: what the token page shows beside the usage chart.

use super::{Quota, Refill};
use serde::{Deserialize, Serialize};

/// A quota's use in its window, as the token page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaUse {
    pub quota: Quota,
    /// Calls spent in the window so far.
    pub spent: u64,
    /// When the window ends and the quota is full again (Unix seconds); `None`: never.
    pub refills_at: Option<i64>,
}

impl QuotaUse {
    /// Calls left in the window.
    pub fn remaining(&self) -> u64 {
        self.quota.calls.saturating_sub(self.spent)
    }

    /// **Remaining this month**, **Remaining today** or **Remaining**.
    pub fn label(&self) -> &'static str {
        match self.quota.refill {
            Refill::Monthly => "Remaining this month",
            Refill::Daily => "Remaining today",
            Refill::Never => "Remaining",
        }
    }

    /// "9,950 of 10,000 calls".
    pub fn describe(&self) -> String {
        format!(
            "{} of {} calls",
            crate::domain::paging::grouped(self.remaining()),
            crate::domain::paging::grouped(self.quota.calls)
        )
    }

    /// Whether 90 % or more of the quota is spent.
    pub fn is_near(&self) -> bool {
        self.spent.saturating_mul(10) >= self.quota.calls.saturating_mul(9)
    }
}

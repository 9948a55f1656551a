//! The account's policy for its tokens' limits: **Default limits** a new token starts
//! with in the wizard, and **Highest limits** no token may go past (a token without a
//! limit goes past any).

use super::{LimitError, Limits, Quota, RateLimit, Refill};
use serde::{Deserialize, Serialize};

/// Defaults and ceilings; none of either by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitsPolicy {
    /// What the wizard starts a new token with.
    pub defaults: Limits,
    /// The most any token may have.
    pub ceiling: Limits,
}

/// What a token's limits break, limit by limit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LimitsBreach {
    pub rate: Option<LimitError>,
    pub quota: Option<LimitError>,
}

impl RateLimit {
    /// Whether it allows no more than `other` over time.
    pub fn within(&self, other: &RateLimit) -> bool {
        u64::from(self.requests) * u64::from(other.per.seconds())
            <= u64::from(other.requests) * u64::from(self.per.seconds())
    }
}

impl Quota {
    /// The most calls it allows in one calendar month (a daily quota 31 times).
    pub fn most_in_a_month(&self) -> u64 {
        match self.refill {
            Refill::Daily => self.calls.saturating_mul(31),
            Refill::Monthly | Refill::Never => self.calls,
        }
    }
}

impl LimitsPolicy {
    /// Read from the stored text; anything unreadable is no policy.
    pub fn from_stored(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }

    /// The text stored.
    pub fn to_stored(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// Whether `limits` stay within the ceiling; what they break otherwise.
    pub fn check(&self, limits: &Limits) -> Result<(), LimitsBreach> {
        let rate = self.ceiling.rate.and_then(|ceiling| {
            let within = limits.rate.is_some_and(|rate| rate.within(&ceiling));
            (!within).then(|| LimitError::RateAboveCeiling {
                ceiling: ceiling.describe(),
            })
        });
        let quota = self.ceiling.quota.and_then(|ceiling| {
            let within = limits
                .quota
                .is_some_and(|quota| quota.most_in_a_month() <= ceiling.most_in_a_month());
            (!within).then(|| LimitError::QuotaAboveCeiling {
                ceiling: ceiling.describe(),
            })
        });
        match (rate, quota) {
            (None, None) => Ok(()),
            (rate, quota) => Err(LimitsBreach { rate, quota }),
        }
    }

    /// The defaults within the ceiling (a policy whose defaults break it is refused).
    pub fn is_consistent(&self) -> bool {
        self.check(&self.defaults).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::super::Per;
    use super::*;

    fn rate(requests: u32, per: Per) -> RateLimit {
        RateLimit { requests, per }
    }

    fn quota(calls: u64, refill: Refill) -> Quota {
        Quota { calls, refill }
    }

    #[test]
    fn rates_compare_over_time_and_quotas_over_a_month() {
        assert!(rate(60, Per::Minute).within(&rate(1, Per::Second)));
        assert!(!rate(61, Per::Minute).within(&rate(1, Per::Second)));
        assert!(rate(3600, Per::Hour).within(&rate(60, Per::Minute)));
        assert!(!rate(2, Per::Second).within(&rate(7000, Per::Hour)));
        assert_eq!(quota(100, Refill::Daily).most_in_a_month(), 3100);
        assert_eq!(quota(100, Refill::Never).most_in_a_month(), 100);
    }

    #[test]
    fn a_ceiling_refuses_more_and_none_alike() {
        let policy = LimitsPolicy {
            defaults: Limits::default(),
            ceiling: Limits {
                rate: Some(rate(100, Per::Minute)),
                quota: Some(quota(10_000, Refill::Monthly)),
            },
        };
        let within = Limits {
            rate: Some(rate(1, Per::Second)),
            quota: Some(quota(300, Refill::Daily)),
        };
        assert_eq!(policy.check(&within), Ok(()));
        let breach = policy.check(&Limits::default()).unwrap_err();
        assert_eq!(
            breach.rate.unwrap().to_string(),
            "This account's tokens may make at most 100 requests per minute: choose that or less."
        );
        assert_eq!(
            breach.quota.unwrap().to_string(),
            "This account's tokens may have a quota of at most 10,000 calls a month (UTC): choose that or less."
        );
        let daily = Limits {
            quota: Some(quota(400, Refill::Daily)),
            ..within
        };
        assert!(policy.check(&daily).unwrap_err().rate.is_none());
        assert!(!LimitsPolicy {
            defaults: Limits::default(),
            ..policy
        }
        .is_consistent());
        assert!(LimitsPolicy::default().check(&Limits::default()).is_ok());
    }

    #[test]
    fn stored_as_text_and_back() {
        let policy = LimitsPolicy {
            defaults: Limits {
                rate: Some(rate(5, Per::Second)),
                quota: None,
            },
            ceiling: Limits::default(),
        };
        assert_eq!(LimitsPolicy::from_stored(&policy.to_stored()), policy);
        assert_eq!(LimitsPolicy::from_stored("{}"), LimitsPolicy::default());
        assert_eq!(
            LimitsPolicy::from_stored("nonsense"),
            LimitsPolicy::default()
        );
    }
}

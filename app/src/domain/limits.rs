//! Limits a brand sets per token (issue 28): a **Rate limit** (requests per second, minute
//! or hour) and a **Quota** (a number of calls, with a **Refill**: none, daily or monthly,
//! at UTC midnight), read from the forms that set them, shown in words, and their windows.
//! Pure rules: the sandbox, the wizard and the token page use the same ones.

use super::expiration::{civil_from_days, days_from_civil};
use serde::{Deserialize, Serialize};

/// The most requests a rate limit may allow per period.
pub const MAX_REQUESTS: u32 = 1_000_000;
/// The most calls a quota may hold.
pub const MAX_CALLS: u64 = 1_000_000_000;

/// A rate limit's period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Per {
    Second,
    Minute,
    Hour,
}

impl Per {
    /// Every choice, in the order the form shows them.
    pub const ALL: [Per; 3] = [Per::Second, Per::Minute, Per::Hour];

    /// The id posted and stored.
    pub fn id(self) -> &'static str {
        match self {
            Per::Second => "second",
            Per::Minute => "minute",
            Per::Hour => "hour",
        }
    }

    /// The id back to a period.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    /// Its length in seconds.
    pub fn seconds(self) -> u32 {
        match self {
            Per::Second => 1,
            Per::Minute => 60,
            Per::Hour => 3600,
        }
    }
}

/// **Rate limit**: at most `requests` per period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimit {
    pub requests: u32,
    pub per: Per,
}

/// A quota's refill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Refill {
    /// Spent once, never refilled.
    #[default]
    Never,
    /// Full again at every UTC midnight.
    Daily,
    /// Full again on the first of every month, at UTC midnight.
    Monthly,
}

impl Refill {
    /// Every choice, in the order the form shows them.
    pub const ALL: [Refill; 3] = [Refill::Never, Refill::Daily, Refill::Monthly];

    /// The id posted and stored.
    pub fn id(self) -> &'static str {
        match self {
            Refill::Never => "none",
            Refill::Daily => "daily",
            Refill::Monthly => "monthly",
        }
    }

    /// The id back to a refill.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The option's label.
    pub fn label(self) -> &'static str {
        match self {
            Refill::Never => "No refill",
            Refill::Daily => "Daily (UTC)",
            Refill::Monthly => "Monthly (UTC)",
        }
    }
}

/// **Quota**: `calls` in all, refilled as `refill` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub calls: u64,
    pub refill: Refill,
}

/// The calls a quota counts together: from `start` (Unix seconds, inclusive) until `end`
/// (exclusive; `None`: never refilled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: i64,
    pub end: Option<i64>,
}

/// Why a limit typed in a form is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum LimitError {
    #[error("Enter the number of requests as a whole number from 1 to 1,000,000, or leave it empty for no rate limit.")]
    BadRequests,
    #[error("Choose per second, per minute or per hour.")]
    BadPer,
    #[error("Enter the quota as a whole number of calls from 1 to 1,000,000,000, or leave it empty for no quota.")]
    BadCalls,
    #[error("Choose no refill, daily or monthly.")]
    BadRefill,
    /// Faster than (or without) the account's highest rate limit.
    #[error("This account's tokens may make at most {ceiling}: choose that or less.")]
    RateAboveCeiling {
        /// The ceiling in words.
        ceiling: String,
    },
    /// More than (or without) the account's largest quota.
    #[error("This account's tokens may have a quota of at most {ceiling}: choose that or less.")]
    QuotaAboveCeiling {
        /// The ceiling in words.
        ceiling: String,
    },
}

/// A whole number from 1 to `max`, typed with or without thousands separators; `None` for
/// empty text, `Err(())` for anything else.
fn count(text: &str, max: u64) -> Result<Option<u64>, ()> {
    let digits: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '_' | ' '))
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    match digits.parse::<u64>() {
        Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
        _ => Err(()),
    }
}

impl RateLimit {
    /// The form's **Rate limit** (`requests` empty: none) and its period.
    pub fn from_form(requests: &str, per: &str) -> Result<Option<Self>, LimitError> {
        let Some(requests) =
            count(requests, u64::from(MAX_REQUESTS)).map_err(|_| LimitError::BadRequests)?
        else {
            return Ok(None);
        };
        let per = Per::from_id(per.trim()).ok_or(LimitError::BadPer)?;
        Ok(Some(Self {
            requests: u32::try_from(requests).map_err(|_| LimitError::BadRequests)?,
            per,
        }))
    }

    /// "100 requests per minute".
    pub fn describe(&self) -> String {
        let noun = if self.requests == 1 {
            "request"
        } else {
            "requests"
        };
        format!(
            "{} {noun} per {}",
            super::paging::grouped(u64::from(self.requests)),
            self.per.id()
        )
    }
}

impl Quota {
    /// The form's **Quota** (`calls` empty: none) and its **Refill**.
    pub fn from_form(calls: &str, refill: &str) -> Result<Option<Self>, LimitError> {
        let Some(calls) = count(calls, MAX_CALLS).map_err(|_| LimitError::BadCalls)? else {
            return Ok(None);
        };
        let refill = Refill::from_id(refill.trim()).ok_or(LimitError::BadRefill)?;
        Ok(Some(Self { calls, refill }))
    }

    /// "10,000 calls a month (UTC)".
    pub fn describe(&self) -> String {
        let calls = super::paging::grouped(self.calls);
        let noun = if self.calls == 1 { "call" } else { "calls" };
        match self.refill {
            Refill::Never => format!("{calls} {noun} in all"),
            Refill::Daily => format!("{calls} {noun} a day (UTC)"),
            Refill::Monthly => format!("{calls} {noun} a month (UTC)"),
        }
    }

    /// The window `now` falls in: since `since` when never refilled, else the UTC day or
    /// month.
    pub fn window(&self, now: i64, since: i64) -> Window {
        const DAY: i64 = 86_400;
        let today = now.div_euclid(DAY);
        match self.refill {
            Refill::Never => Window {
                start: since,
                end: None,
            },
            Refill::Daily => Window {
                start: today * DAY,
                end: Some((today + 1) * DAY),
            },
            Refill::Monthly => {
                let (year, month, _) = civil_from_days(today);
                let (next_year, next_month) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                Window {
                    start: days_from_civil(year, month, 1) * DAY,
                    end: Some(days_from_civil(next_year, next_month, 1) * DAY),
                }
            }
        }
    }
}

/// A token's limits as the forms hold them: text as typed, choices by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitsForm {
    /// **Rate limit**'s number of requests (empty: none).
    pub rate_requests: String,
    /// Its period: [`Per::id`].
    pub rate_per: String,
    /// **Quota**'s number of calls (empty: none).
    pub quota_calls: String,
    /// Its **Refill**: [`Refill::id`].
    pub quota_refill: String,
}

impl Default for LimitsForm {
    fn default() -> Self {
        Self {
            rate_requests: String::new(),
            rate_per: Per::Minute.id().to_string(),
            quota_calls: String::new(),
            quota_refill: Refill::Monthly.id().to_string(),
        }
    }
}

/// A token's limits: none, either or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Limits {
    pub rate: Option<RateLimit>,
    pub quota: Option<Quota>,
}

impl LimitsForm {
    /// The **Rate limit** typed, or why not.
    pub fn rate(&self) -> Result<Option<RateLimit>, LimitError> {
        RateLimit::from_form(&self.rate_requests, &self.rate_per)
    }

    /// The **Quota** typed, or why not.
    pub fn quota(&self) -> Result<Option<Quota>, LimitError> {
        Quota::from_form(&self.quota_calls, &self.quota_refill)
    }

    /// Both, if both read.
    pub fn limits(&self) -> Option<Limits> {
        Some(Limits {
            rate: self.rate().ok()?,
            quota: self.quota().ok()?,
        })
    }
}

impl Limits {
    /// The form that shows these limits.
    pub fn form(&self) -> LimitsForm {
        let mut form = LimitsForm::default();
        if let Some(rate) = self.rate {
            form.rate_requests = rate.requests.to_string();
            form.rate_per = rate.per.id().to_string();
        }
        if let Some(quota) = self.quota {
            form.quota_calls = quota.calls.to_string();
            form.quota_refill = quota.refill.id().to_string();
        }
        form
    }

    /// Read from the stored columns; anything unreadable is no limit.
    pub fn from_stored(
        rate_requests: Option<i64>,
        rate_per: Option<&str>,
        quota_calls: Option<i64>,
        quota_refill: Option<&str>,
    ) -> Self {
        let rate = match (rate_requests, rate_per.and_then(Per::from_id)) {
            (Some(requests), Some(per)) => u32::try_from(requests)
                .ok()
                .filter(|r| (1..=MAX_REQUESTS).contains(r))
                .map(|requests| RateLimit { requests, per }),
            _ => None,
        };
        let quota = match (quota_calls, quota_refill.and_then(Refill::from_id)) {
            (Some(calls), Some(refill)) => u64::try_from(calls)
                .ok()
                .filter(|c| (1..=MAX_CALLS).contains(c))
                .map(|calls| Quota { calls, refill }),
            _ => None,
        };
        Self { rate, quota }
    }

    /// The **Rate limit** in words.
    pub fn rate_words(&self) -> String {
        self.rate
            .map_or_else(|| "None".to_string(), |rate| rate.describe())
    }

    /// The **Quota** in words.
    pub fn quota_words(&self) -> String {
        self.quota
            .map_or_else(|| "None".to_string(), |quota| quota.describe())
    }
}

/// One quota policy of the `RateLimit-Policy` field (draft-ietf-httpapi-ratelimit-headers-11,
/// a Structured Field list of Items): `"<name>";q=<quota>;w=<window seconds>`. `name` is
/// one of this server's own (`rate`, `quota`): never anything a caller sent.
pub fn policy_item(name: &'static str, quota: u64, window: Option<u64>) -> String {
    match window {
        Some(w) => format!("\"{name}\";q={quota};w={}", w.max(1)),
        None => format!("\"{name}\";q={quota}"),
    }
}

/// One service limit of the `RateLimit` field (same draft): `"<name>";r=<remaining>;t=<seconds
/// until more is available>`.
pub fn limit_item(name: &'static str, remaining: u64, reset: Option<u64>) -> String {
    match reset {
        Some(t) => format!("\"{name}\";r={remaining};t={t}"),
        None => format!("\"{name}\";r={remaining}"),
    }
}

mod budget;
mod policy;
mod quota_use;
pub use budget::{read_budget, read_limits, BudgetError, BudgetSpec, BudgetView};
pub use policy::{LimitsBreach, LimitsPolicy};
pub use quota_use::QuotaUse;

#[cfg(test)]
mod tests;

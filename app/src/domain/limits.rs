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

#[cfg(test)]
mod tests {
    use super::*;

    /// 2027-01-31 23:59:59 UTC.
    const LAST_SECOND_OF_JANUARY: i64 = 1_801_439_999;

    #[test]
    fn rate_limits_are_read_from_the_form_or_explained() {
        assert_eq!(RateLimit::from_form("", "minute"), Ok(None));
        assert_eq!(
            RateLimit::from_form(" 1,000 ", "minute"),
            Ok(Some(RateLimit {
                requests: 1000,
                per: Per::Minute
            }))
        );
        for bad in ["0", "-5", "1.5", "ten", "1000001", "99999999999999999999"] {
            assert_eq!(
                RateLimit::from_form(bad, "second"),
                Err(LimitError::BadRequests),
                "{bad}"
            );
        }
        assert_eq!(RateLimit::from_form("5", "day"), Err(LimitError::BadPer));
        let limit = RateLimit::from_form("1", "hour").unwrap().unwrap();
        assert_eq!(limit.describe(), "1 request per hour");
        assert_eq!(limit.per.seconds(), 3600);
    }

    #[test]
    fn quotas_are_read_from_the_form_or_explained() {
        assert_eq!(Quota::from_form(" ", "monthly"), Ok(None));
        let quota = Quota::from_form("10000", "monthly").unwrap().unwrap();
        assert_eq!(quota.describe(), "10,000 calls a month (UTC)");
        assert_eq!(
            Quota::from_form("1000000001", "daily"),
            Err(LimitError::BadCalls)
        );
        assert_eq!(Quota::from_form("5", "weekly"), Err(LimitError::BadRefill));
        for refill in Refill::ALL {
            assert_eq!(Refill::from_id(refill.id()), Some(refill));
        }
    }

    #[test]
    fn the_ratelimit_fields_read_as_the_draft_writes_them() {
        let policy = [
            policy_item("rate", 100, Some(60)),
            policy_item("quota", 10_000, None),
        ];
        assert_eq!(policy.join(", "), r#""rate";q=100;w=60, "quota";q=10000"#);
        assert_eq!(limit_item("rate", 42, Some(17)), r#""rate";r=42;t=17"#);
        assert_eq!(limit_item("quota", 0, None), r#""quota";r=0"#);
        // A window is never 0 (the draft: "non-negative, non-zero").
        assert_eq!(policy_item("rate", 1, Some(0)), r#""rate";q=1;w=1"#);
    }

    #[test]
    fn windows_turn_at_utc_midnight() {
        let daily = Quota {
            calls: 5,
            refill: Refill::Daily,
        };
        let window = daily.window(LAST_SECOND_OF_JANUARY, 0);
        assert_eq!(window.end, Some(LAST_SECOND_OF_JANUARY + 1));
        assert_eq!(window.start, LAST_SECOND_OF_JANUARY + 1 - 86_400);
        let next = daily.window(LAST_SECOND_OF_JANUARY + 1, 0);
        assert_eq!(next.start, LAST_SECOND_OF_JANUARY + 1);

        let monthly = Quota {
            calls: 5,
            refill: Refill::Monthly,
        };
        let january = monthly.window(LAST_SECOND_OF_JANUARY, 0);
        assert_eq!(january.start, LAST_SECOND_OF_JANUARY + 1 - 31 * 86_400);
        assert_eq!(january.end, Some(LAST_SECOND_OF_JANUARY + 1));
        // February 2027 has 28 days; December rolls into the next year.
        let february = monthly.window(LAST_SECOND_OF_JANUARY + 1, 0);
        assert_eq!(february.end, Some(LAST_SECOND_OF_JANUARY + 1 + 28 * 86_400));
        let december = monthly.window(LAST_SECOND_OF_JANUARY - 40 * 86_400, 0);
        assert_eq!(december.end, Some(LAST_SECOND_OF_JANUARY + 1 - 31 * 86_400));

        let once = Quota {
            calls: 5,
            refill: Refill::Never,
        };
        assert_eq!(
            once.window(LAST_SECOND_OF_JANUARY, 42),
            Window {
                start: 42,
                end: None
            }
        );
    }
}

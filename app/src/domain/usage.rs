//! A token's use of the sandbox API over the last 30 days: requests per UTC day, allowed
//! and refused, the scopes it used, and the bars of the chart the token page draws.

use super::expiration::format_date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How many days the token page shows, today included.
pub const USAGE_DAYS: i64 = 30;

const DAY: i64 = 86_400;

/// The UTC day an instant falls on, in days since 1970-01-01.
pub fn day_of(at: i64) -> i64 {
    at.div_euclid(DAY)
}

/// One day's requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayUsage {
    /// The day, `YYYY-MM-DD` (UTC).
    pub date: String,
    /// Requests the token was allowed.
    pub allowed: u64,
    /// Requests it made that were refused (by scope, address, state or expiry).
    pub refused: u64,
    /// Requests its scopes allowed that its rate limit or quota refused.
    pub limited: u64,
}

/// What the token page shows of a token's use.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TokenUsage {
    /// The last [`USAGE_DAYS`] days, oldest first, today last.
    pub days: Vec<DayUsage>,
    /// The address of the last allowed request, if any.
    pub last_address: Option<String>,
    /// Its `User-Agent`, if it sent one.
    pub last_user_agent: Option<String>,
    /// The token's scopes no allowed request used in those days.
    pub unused_scopes: Vec<String>,
    /// How many of those days the token existed (1 to 30): a token made today has had
    /// one day to use its scopes, not thirty.
    pub window_days: i64,
}

/// A stored count: `(day, scope, allowed, refused, limited)`; scope `""` for refused and
/// limited requests.
pub type StoredCount = (i64, String, i64, i64, i64);

impl TokenUsage {
    /// The usage from stored counts, for the 30 days up to `today`, of a token created on
    /// day `created_day` with `granted` scopes.
    pub fn from_counts(
        today: i64,
        created_day: i64,
        counts: &[StoredCount],
        granted: &[String],
        last_address: Option<String>,
        last_user_agent: Option<String>,
    ) -> Self {
        let first = today - (USAGE_DAYS - 1);
        let mut days: Vec<DayUsage> = (first..=today)
            .map(|day| DayUsage {
                date: format_date(day * DAY),
                allowed: 0,
                refused: 0,
                limited: 0,
            })
            .collect();
        let mut used = BTreeSet::new();
        for (day, scope, allowed, refused, limited) in counts {
            let Some(slot) = usize::try_from(day - first)
                .ok()
                .and_then(|i| days.get_mut(i))
            else {
                continue;
            };
            slot.allowed += u64::try_from(*allowed).unwrap_or(0);
            slot.refused += u64::try_from(*refused).unwrap_or(0);
            slot.limited += u64::try_from(*limited).unwrap_or(0);
            if *allowed > 0 && !scope.is_empty() {
                used.insert(scope.as_str());
            }
        }
        let unused_scopes = granted
            .iter()
            .filter(|scope| !used.contains(scope.as_str()))
            .cloned()
            .collect();
        Self {
            days,
            last_address,
            last_user_agent,
            unused_scopes,
            window_days: (today - created_day.max(first) + 1).clamp(1, USAGE_DAYS),
        }
    }

    /// What the unused scopes are unused over, for the sentence that lists them.
    pub fn unused_heading(&self) -> String {
        match self.window_days {
            USAGE_DAYS => format!("Scopes not used in the last {USAGE_DAYS} days:"),
            1 => "Scopes not used since it was created today:".to_string(),
            days => format!(
                "Scopes not used since it was created, {} days ago:",
                days - 1
            ),
        }
    }

    /// Every request the token made (allowed, refused or limited) in the last `days` days,
    /// today included: the figure the token page's header shows.
    pub fn recent_calls(&self, days: usize) -> u64 {
        self.days
            .iter()
            .rev()
            .take(days)
            .map(|day| day.allowed + day.refused + day.limited)
            .sum()
    }

    /// Requests allowed, refused and limited over the days shown.
    pub fn totals(&self) -> (u64, u64, u64) {
        self.days.iter().fold((0, 0, 0), |(a, r, l), day| {
            (a + day.allowed, r + day.refused, l + day.limited)
        })
    }
}

/// One day's bar in a chart `height` units tall: the allowed part sits on the baseline,
/// the refused part on top of it, the limited part on top of that.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    /// The bar's left edge.
    pub x: f64,
    /// The top of the allowed part.
    pub allowed_y: f64,
    pub allowed_height: f64,
    /// The top of the refused part.
    pub refused_y: f64,
    pub refused_height: f64,
    /// The top of the limited part.
    pub limited_y: f64,
    pub limited_height: f64,
}

/// The bars of `days` in a chart `width` × `height`, scaled to the busiest day; each bar
/// leaves a gap of a fifth of its slot.
pub fn bars(days: &[DayUsage], width: f64, height: f64) -> Vec<Bar> {
    let busiest = days
        .iter()
        .map(|d| d.allowed + d.refused + d.limited)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = width / days.len().max(1) as f64;
    days.iter()
        .enumerate()
        .map(|(i, day)| {
            let allowed_height = height * day.allowed as f64 / busiest;
            let refused_height = height * day.refused as f64 / busiest;
            let limited_height = height * day.limited as f64 / busiest;
            let refused_y = height - allowed_height - refused_height;
            Bar {
                x: i as f64 * slot + slot * 0.1,
                allowed_y: height - allowed_height,
                allowed_height,
                refused_y,
                refused_height,
                limited_y: refused_y - limited_height,
                limited_height,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_days_ending_today_with_the_counts_in_place() {
        let today = day_of(1_795_996_800); // 2026-11-30
        let counts = vec![
            (today, "reports:get".to_string(), 3, 0, 0),
            (today, String::new(), 0, 2, 5),
            (today - 29, "actions:get".to_string(), 1, 0, 0),
            (today - 30, "orders:get".to_string(), 9, 9, 9),
        ];
        let granted =
            ["actions:get", "orders:get", "reports:get", "reports:post"].map(String::from);
        let usage = TokenUsage::from_counts(today, today - 400, &counts, &granted, None, None);
        assert_eq!(
            usage.unused_heading(),
            "Scopes not used in the last 30 days:"
        );
        assert_eq!(usage.days.len(), 30);
        assert_eq!(usage.days[29].date, "2026-11-30");
        assert_eq!((usage.days[29].allowed, usage.days[29].refused), (3, 2));
        assert_eq!(usage.days[0].date, "2026-11-01");
        assert_eq!(usage.days[0].allowed, 1);
        assert_eq!(usage.totals(), (4, 2, 5));
        // The day before the window counts for nothing, its scope included.
        assert_eq!(usage.unused_scopes, ["orders:get", "reports:post"]);
        let young = TokenUsage::from_counts(today, today, &[], &granted, None, None);
        assert_eq!(young.window_days, 1);
        assert_eq!(
            young.unused_heading(),
            "Scopes not used since it was created today:"
        );
        let week = TokenUsage::from_counts(today, today - 7, &[], &granted, None, None);
        assert_eq!(
            week.unused_heading(),
            "Scopes not used since it was created, 7 days ago:"
        );
    }

    #[test]
    fn bars_scale_to_the_busiest_day() {
        let day = |allowed, refused| DayUsage {
            date: String::new(),
            allowed,
            refused,
            limited: 0,
        };
        let limited = DayUsage {
            limited: 10,
            ..day(0, 0)
        };
        let bars = bars(&[day(0, 0), day(5, 5), day(10, 0), limited], 300.0, 100.0);
        assert_eq!((bars[3].limited_y, bars[3].limited_height), (0.0, 100.0));
        assert_eq!(bars[0].allowed_height + bars[0].refused_height, 0.0);
        assert_eq!(bars[1].allowed_height, 50.0);
        assert_eq!(bars[1].refused_y, 0.0);
        assert_eq!(bars[2].allowed_y, 0.0);
        assert_eq!(bars[2].x, 157.5);
        // Nothing at all: flat bars, no division by zero.
        assert!(super::bars(&[day(0, 0)], 10.0, 10.0)[0].allowed_height == 0.0);
    }

    #[test]
    fn recent_calls_count_the_last_days_only() {
        let day = |n: u64| DayUsage {
            date: String::new(),
            allowed: n,
            refused: 1,
            limited: 0,
        };
        let usage = TokenUsage {
            days: (1..=30).map(day).collect(),
            ..TokenUsage::default()
        };
        // The last seven days are 24..=30: 189 allowed and 7 refused.
        assert_eq!(usage.recent_calls(7), 196);
        assert_eq!(usage.recent_calls(0), 0);
        assert_eq!(TokenUsage::default().recent_calls(7), 0);
    }
}

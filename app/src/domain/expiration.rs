//! **Expiration**: when a token stops authenticating, and the account's token policy that
//! bounds it. Instants are Unix seconds in UTC; a date the user picks is the end of that
//! day in the user's own time zone (the browser sends its offset), and dates are shown in
//! the browser's zone.

use serde::{Deserialize, Serialize};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The lifetimes the wizard offers besides a date and never.
pub const PRESET_DAYS: [u16; 3] = [30, 60, 90];

/// The maximum lifetimes an account may set (`None`: no maximum).
pub const MAX_LIFETIME_CHOICES: [Option<u16>; 6] =
    [Some(30), Some(60), Some(90), Some(180), Some(365), None];

/// **Expiration** as chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Expiration {
    /// 30, 60 or 90 days from when it is created (or renewed).
    Days(u16),
    /// The end of `date` (`YYYY-MM-DD`) where the user is: `utc_offset_minutes` as the
    /// browser's `Date.getTimezoneOffset()` gives it (UTC minus local time).
    OnDate {
        /// The date as picked.
        date: String,
        /// The browser's offset.
        utc_offset_minutes: i32,
    },
    /// Never expires (only where the account allows it).
    Never,
}

impl Default for Expiration {
    fn default() -> Self {
        Expiration::Days(90)
    }
}

/// The account's token policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPolicy {
    /// The longest lifetime a token may be given, in days; `None`: no maximum.
    pub max_lifetime_days: Option<u16>,
    /// Whether a token may never expire (only without a maximum).
    pub allow_never: bool,
}

impl Default for TokenPolicy {
    /// What an account starts with: no maximum, "never" allowed (tokens made before
    /// expiration existed keep working).
    fn default() -> Self {
        Self {
            max_lifetime_days: None,
            allow_never: true,
        }
    }
}

/// Why an expiration or a policy is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ExpirationError {
    /// A number of days the wizard does not offer.
    #[error("Choose 30, 60 or 90 days, a date, or never.")]
    UnknownPreset,
    /// Not a date.
    #[error("Enter the date as YYYY-MM-DD.")]
    BadDate,
    /// Today or earlier.
    #[error("Choose a date after today.")]
    NotInFuture,
    /// Past the account's maximum.
    #[error("This account's tokens live at most {max_days} days: choose {last_date} or earlier.")]
    BeyondPolicy {
        /// The maximum.
        max_days: u16,
        /// The last date allowed, `YYYY-MM-DD` (UTC).
        last_date: String,
    },
    /// "Never" where the account requires an expiration.
    #[error("This account requires tokens to expire: choose a lifetime or a date.")]
    NeverNotAllowed,
    /// A maximum the policy form does not offer.
    #[error("Choose a maximum of 30, 60, 90, 180 or 365 days, or no maximum.")]
    UnknownMaximum,
    /// "Never" allowed together with a maximum.
    #[error(
        "Tokens that never expire would outlive the maximum: allow them only without a maximum."
    )]
    NeverWithMaximum,
}

impl TokenPolicy {
    /// Checks the policy form's choices.
    pub fn validate(self) -> Result<Self, ExpirationError> {
        if !MAX_LIFETIME_CHOICES.contains(&self.max_lifetime_days) {
            return Err(ExpirationError::UnknownMaximum);
        }
        if self.max_lifetime_days.is_some() && self.allow_never {
            return Err(ExpirationError::NeverWithMaximum);
        }
        Ok(self)
    }

    /// The policy from the form's fields: `max_lifetime` is `""` (no maximum) or a number
    /// of days; "never" is only possible without a maximum.
    pub fn from_form(max_lifetime: &str, allow_never: bool) -> Result<Self, ExpirationError> {
        let max_lifetime_days = match max_lifetime.trim() {
            "" => None,
            days => Some(
                days.parse::<u16>()
                    .map_err(|_| ExpirationError::UnknownMaximum)?,
            ),
        };
        Self {
            max_lifetime_days,
            allow_never: allow_never && max_lifetime_days.is_none(),
        }
        .validate()
    }

    /// The policy in words.
    pub fn describe(self) -> String {
        match (self.max_lifetime_days, self.never_allowed()) {
            (Some(days), _) => format!("Tokens live at most {days} days."),
            (None, true) => "No maximum lifetime; tokens may be made to never expire.".to_string(),
            (None, false) => "No maximum lifetime, but every token must expire.".to_string(),
        }
    }

    /// `choice` if this policy allows its kind, else the longest preset it allows (what the
    /// wizard starts from when its default or a duplicated choice is out of bounds).
    pub fn fit(self, choice: &Expiration) -> Expiration {
        let longest = PRESET_DAYS
            .into_iter()
            .filter(|days| self.max_lifetime_days.is_none_or(|max| *days <= max))
            .max()
            .map_or_else(Expiration::default, Expiration::Days);
        match choice {
            Expiration::Never if !self.never_allowed() => longest,
            Expiration::Days(days) if self.max_lifetime_days.is_some_and(|max| *days > max) => {
                longest
            }
            other => other.clone(),
        }
    }

    /// Whether "never" may be chosen.
    pub fn never_allowed(self) -> bool {
        self.allow_never && self.max_lifetime_days.is_none()
    }

    /// The latest instant a token made or renewed at `now` may expire; `None`: no bound.
    pub fn latest_expiry(self, now: i64) -> Option<i64> {
        self.max_lifetime_days
            .map(|days| now + i64::from(days) * DAY)
    }

    /// Whether a token expiring at `expires_at` (`None`: never) is beyond the policy as
    /// of `now` (existing tokens are listed, not cut short).
    pub fn exceeded_by(self, expires_at: Option<i64>, now: i64) -> bool {
        match (expires_at, self.latest_expiry(now)) {
            (None, _) => !self.never_allowed(),
            (Some(at), Some(latest)) => at > latest,
            (Some(_), None) => false,
        }
    }
}

impl Expiration {
    /// The choice in words, as the review shows it.
    pub fn describe(&self) -> String {
        match self {
            Expiration::Days(days) => format!("{days} days after it is created"),
            Expiration::OnDate { date, .. } if date.is_empty() => "No date chosen".to_string(),
            Expiration::OnDate { date, .. } => format!("At the end of {date} (your time)"),
            Expiration::Never => "Never".to_string(),
        }
    }

    /// The preset that gives a token made at `created_at` and expiring at `expires_at` its
    /// lifetime again (what **Duplicate** starts from): never or one of the presets; `None`
    /// when it was a date (the browser turns its end back into the date the user picked).
    pub fn lifetime_of(created_at: i64, expires_at: Option<i64>) -> Option<Self> {
        let Some(at) = expires_at else {
            return Some(Expiration::Never);
        };
        let days = (at - created_at + DAY / 2).div_euclid(DAY);
        PRESET_DAYS
            .into_iter()
            .find(|preset| i64::from(*preset) == days)
            .map(Expiration::Days)
    }

    /// When a token made (or renewed) at `now` with this choice expires (`None`: never),
    /// within `policy`.
    pub fn resolve(&self, now: i64, policy: TokenPolicy) -> Result<Option<i64>, ExpirationError> {
        let at = match self {
            Expiration::Never if policy.never_allowed() => return Ok(None),
            Expiration::Never => return Err(ExpirationError::NeverNotAllowed),
            Expiration::Days(days) if PRESET_DAYS.contains(days) => now + i64::from(*days) * DAY,
            Expiration::Days(_) => return Err(ExpirationError::UnknownPreset),
            Expiration::OnDate {
                date,
                utc_offset_minutes,
            } => {
                let at =
                    end_of_local_day(date, *utc_offset_minutes).ok_or(ExpirationError::BadDate)?;
                // The end of today is no expiration to choose: a date after today.
                if at <= now + DAY {
                    return Err(ExpirationError::NotInFuture);
                }
                at
            }
        };
        match policy.latest_expiry(now) {
            // A preset within the maximum always fits, even by the seconds a request takes.
            Some(latest) if at > latest => Err(ExpirationError::BeyondPolicy {
                max_days: policy.max_lifetime_days.unwrap_or_default(),
                last_date: format_date(latest - DAY),
            }),
            _ => Ok(Some(at)),
        }
    }
}

/// `YYYY-MM-DD` as (year, month, day), if it is a real date from 1970 to 9999.
pub fn parse_date(text: &str) -> Option<(i64, u32, u32)> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) {
        return None;
    }
    let (y, m, d) = (
        y.parse::<i64>().ok()?,
        m.parse::<u32>().ok()?,
        d.parse::<u32>().ok()?,
    );
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (y >= 1970 && (1..=days_in_month).contains(&d)).then_some((y, m, d))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The instant `date` ends where the clock is `utc_offset_minutes` behind UTC.
pub fn end_of_local_day(date: &str, utc_offset_minutes: i32) -> Option<i64> {
    let (y, m, d) = parse_date(date)?;
    // Offsets run from UTC−12 to UTC+14.
    if !(-14 * 60..=12 * 60).contains(&utc_offset_minutes) {
        return None;
    }
    Some((days_from_civil(y, m, d) + 1) * DAY + i64::from(utc_offset_minutes) * 60)
}

/// The UTC date of an instant, `YYYY-MM-DD`.
pub fn format_date(at: i64) -> String {
    let (y, m, d) = civil_from_days(at.div_euclid(DAY));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The UTC date and time of an instant, `YYYY-MM-DD HH:MM UTC` (shown until the browser
/// puts it in the user's zone).
pub fn format_instant(at: i64) -> String {
    let seconds = at.rem_euclid(DAY);
    format!(
        "{} {:02}:{:02} UTC",
        format_date(at),
        seconds / 3600,
        (seconds % 3600) / 60
    )
}

/// Whether a token expiring at `expires_at` has expired at `now`.
pub fn is_expired(expires_at: Option<i64>, now: i64) -> bool {
    expires_at.is_some_and(|at| at <= now)
}

/// How an expiry reads at `now`: "Never expires", "Expires in 12 days", "Expires in 5
/// hours", "Expires in less than an hour", "Expired on 2027-03-01" (the browser shows the
/// date in the user's zone).
pub fn expiry_label(expires_at: Option<i64>, now: i64) -> String {
    let Some(at) = expires_at else {
        return "Never expires".to_string();
    };
    let left = at - now;
    if left <= 0 {
        return format!("Expired on {}", format_date(at));
    }
    let plural = |n: i64, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    if left >= DAY {
        // Whole days, rounded up: 89 days and 23 hours reads "90 days".
        format!("Expires in {}", plural((left + DAY - 1) / DAY, "day"))
    } else if left >= 3600 {
        format!("Expires in {}", plural(left / 3600, "hour"))
    } else {
        "Expires in less than an hour".to_string()
    }
}

#[cfg(test)]
mod tests;

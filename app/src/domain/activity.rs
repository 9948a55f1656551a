//! `/settings/activity`: the filters of the account's audit log as they appear in the URL
//! (`?action=reset&from=2026-11-01`), the keyset cursor its pages move by, and the CSV
//! export's cells.

use super::audit::AuditAction;
use super::expiration::{days_from_civil, parse_date};
use super::paging::query_value;
use serde::{Deserialize, Serialize};

/// Events on one page.
pub const PAGE_SIZE: u32 = 50;

/// Every filter of the log. Dates are whole UTC days; `to` is included.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityFilter {
    /// Events of the token with this SID.
    pub token: String,
    /// Events by this user (their key).
    pub actor: Option<i64>,
    /// Events of this kind.
    pub action: Option<AuditAction>,
    /// From this day (`YYYY-MM-DD`, UTC).
    pub from: String,
    /// Up to and including this day.
    pub to: String,
}

/// A place in the log: the `(created_at, id)` of an event, written `1764547200.42`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The event's time.
    pub at: i64,
    /// The event's key (breaks ties within a second).
    pub id: i64,
}

impl Cursor {
    /// As in the URL.
    pub fn encode(self) -> String {
        format!("{}.{}", self.at, self.id)
    }

    /// From the URL; `None` if it isn't one.
    pub fn decode(text: &str) -> Option<Self> {
        let (at, id) = text.trim().split_once('.')?;
        Some(Self {
            at: at.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// Which way from a cursor a page goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// Events older than the cursor (**Older**).
    Before(Cursor),
    /// Events newer than the cursor (**Newer**).
    After(Cursor),
}

/// The longest token SID kept from the URL.
const MAX_SID: usize = 64;

impl ActivityFilter {
    /// Reads the filters and the cursor from the query. Values that can't be read are left
    /// out and reported, never refused.
    pub fn from_query(
        get: impl Fn(&str) -> Option<String>,
    ) -> (Self, Option<Direction>, Vec<String>) {
        let mut ignored = Vec::new();
        let value = |key: &str| get(key).unwrap_or_default().trim().to_string();
        let token: String = value("token")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .take(MAX_SID)
            .collect();
        let actor = match value("actor") {
            text if text.is_empty() => None,
            text => text.parse::<i64>().ok().or_else(|| {
                ignored.push(format!("actor={text}"));
                None
            }),
        };
        let action = match value("action") {
            text if text.is_empty() => None,
            text => AuditAction::from_id(&text).or_else(|| {
                ignored.push(format!("action={text}"));
                None
            }),
        };
        let mut date = |key: &str| match value(key) {
            text if text.is_empty() => String::new(),
            text if parse_date(&text).is_some() => text,
            text => {
                ignored.push(format!("{key}={text}"));
                String::new()
            }
        };
        let from = date("from");
        let to = date("to");
        let mut cursor = |key: &str| match value(key) {
            text if text.is_empty() => None,
            text => Cursor::decode(&text).or_else(|| {
                ignored.push(format!("{key}={text}"));
                None
            }),
        };
        let direction = match (cursor("before"), cursor("after")) {
            (Some(before), _) => Some(Direction::Before(before)),
            (None, Some(after)) => Some(Direction::After(after)),
            (None, None) => None,
        };
        let filter = Self {
            token,
            actor,
            action,
            from,
            to,
        };
        (filter, direction, ignored)
    }

    /// Whether any filter is set.
    pub fn is_active(&self) -> bool {
        *self != Self::default()
    }

    /// The times that match, as `(from, until)` Unix seconds, `until` exclusive.
    pub fn range(&self) -> (Option<i64>, Option<i64>) {
        let start =
            |text: &str| parse_date(text).map(|(y, m, d)| days_from_civil(y, m, d) * 86_400);
        (start(&self.from), start(&self.to).map(|at| at + 86_400))
    }

    /// The query string of these filters (no `?`), plus `extra` pairs.
    pub fn query(&self, extra: &[(&str, String)]) -> String {
        let mut pairs = Vec::new();
        if !self.token.is_empty() {
            pairs.push(format!("token={}", query_value(&self.token)));
        }
        if let Some(actor) = self.actor {
            pairs.push(format!("actor={actor}"));
        }
        if let Some(action) = self.action {
            pairs.push(format!("action={}", action.id()));
        }
        for (key, value) in [("from", &self.from), ("to", &self.to)] {
            if !value.is_empty() {
                pairs.push(format!("{key}={}", query_value(value)));
            }
        }
        for (key, value) in extra {
            pairs.push(format!("{key}={}", query_value(value)));
        }
        pairs.join("&")
    }

    /// The link to the log with these filters, at `direction`.
    pub fn href(&self, direction: Option<Direction>) -> String {
        let extra = match direction {
            Some(Direction::Before(cursor)) => vec![("before", cursor.encode())],
            Some(Direction::After(cursor)) => vec![("after", cursor.encode())],
            None => Vec::new(),
        };
        match self.query(&extra) {
            query if query.is_empty() => "/settings/activity".to_string(),
            query => format!("/settings/activity?{query}"),
        }
    }

    /// The CSV export of these filters.
    pub fn export_href(&self) -> String {
        match self.query(&[]) {
            query if query.is_empty() => "/settings/activity/export.csv".to_string(),
            query => format!("/settings/activity/export.csv?{query}"),
        }
    }
}

/// Who the log names as acting: the user, except for a throttled sign-in (recorded on the
/// user whose sign-ins were refused, who may not be the one trying); when no user acted,
/// the holder of a secret or an operator's command.
pub fn actor_label(action: AuditAction, actor: Option<&str>) -> String {
    match (actor, action) {
        (Some(name), AuditAction::SignInThrottled) => format!("Failed sign-ins as {name}"),
        (Some(name), _) => name.to_string(),
        // A Reset's old secret is revoked by its holder too (in the console, by a user).
        (None, AuditAction::RevokedByHolder | AuditAction::OldSecretRevoked) => {
            "Whoever held the Auth Token".to_string()
        }
        (None, AuditAction::Exposed) => "Secret scanning".to_string(),
        (None, AuditAction::QuotaNearlySpent | AuditAction::QuotaSpent) => {
            "Its calls (the quota)".to_string()
        }
        (None, AuditAction::RequestExpired) => "Its request, unclaimed".to_string(),
        (None, _) => "An operator (command line)".to_string(),
    }
}

/// One CSV cell: quoted when it holds a comma, semicolon (the separator of some locales),
/// tab, quote or line break (quotes doubled, RFC 4180), and a cell a spreadsheet would run
/// as a formula (`=`, `+`, `-`, `@`, tab or carriage return first, spaces before them
/// included) starts with `'` so it reads as text.
pub fn csv_cell(value: &str) -> String {
    let risky = value
        .trim_start_matches(' ')
        .starts_with(['=', '+', '-', '@', '\t', '\r']);
    let text = if risky {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if text.contains([',', ';', '\t', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One CSV line (CRLF-terminated) of `cells`.
pub fn csv_line<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let mut line = cells
        .into_iter()
        .map(csv_cell)
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn filters_round_trip_through_the_url() {
        let pairs = [
            ("token", "TS0123abc"),
            ("actor", "7"),
            ("action", "reset"),
            ("from", "2026-11-01"),
            ("to", "2026-11-30"),
            ("before", "1764547200.42"),
        ];
        let (filter, direction, ignored) = ActivityFilter::from_query(query(&pairs));
        assert!(ignored.is_empty());
        assert_eq!(filter.action, Some(AuditAction::Reset));
        assert_eq!(
            direction,
            Some(Direction::Before(Cursor {
                at: 1_764_547_200,
                id: 42
            }))
        );
        assert_eq!(
            filter.href(direction),
            "/settings/activity?token=TS0123abc&actor=7&action=reset&from=2026-11-01&to=2026-11-30&before=1764547200.42"
        );
        assert_eq!(
            filter.export_href(),
            "/settings/activity/export.csv?token=TS0123abc&actor=7&action=reset&from=2026-11-01&to=2026-11-30"
        );
    }

    #[test]
    fn unreadable_values_are_left_out_and_reported() {
        let pairs = [
            ("actor", "me"),
            ("action", "explode"),
            ("from", "yesterday"),
            ("after", "x.y"),
            ("token", "TS<script>"),
        ];
        let (filter, direction, ignored) = ActivityFilter::from_query(query(&pairs));
        assert_eq!(filter.token, "TSscript");
        assert!(filter.actor.is_none() && filter.action.is_none() && filter.from.is_empty());
        assert!(direction.is_none());
        assert_eq!(
            ignored,
            ["actor=me", "action=explode", "from=yesterday", "after=x.y"]
        );
        assert_eq!(ActivityFilter::default().href(None), "/settings/activity");
    }

    #[test]
    fn the_date_range_is_whole_utc_days_with_the_last_included() {
        let filter = ActivityFilter {
            from: "2026-11-30".into(),
            to: "2026-11-30".into(),
            ..ActivityFilter::default()
        };
        let (from, until) = filter.range();
        assert_eq!(from, Some(1_795_996_800));
        assert_eq!(until, Some(1_795_996_800 + 86_400));
        assert_eq!(ActivityFilter::default().range(), (None, None));
    }

    #[test]
    fn csv_cells_are_quoted_and_never_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("=a,b"), "\"'=a,b\"");
        assert_eq!(csv_line(["a", "b,c"]), "a,\"b,c\"\r\n");
        // A semicolon is a separator in some locales: quoted, so the formula after it
        // stays inside one cell that starts as text.
        assert_eq!(csv_cell("x;=cmd|' /C calc'!A0"), "\"x;=cmd|' /C calc'!A0\"");
        assert_eq!(csv_cell("  =1+1"), "'  =1+1");
    }

    #[test]
    fn who_acted_when_nobody_signed_in_did() {
        assert_eq!(actor_label(AuditAction::Reset, Some("Alex")), "Alex");
        assert_eq!(actor_label(AuditAction::Exposed, None), "Secret scanning");
        assert_eq!(
            actor_label(AuditAction::RevokedByHolder, None),
            "Whoever held the Auth Token"
        );
        assert_eq!(
            actor_label(AuditAction::UserDisabled, None),
            "An operator (command line)"
        );
        assert_eq!(
            actor_label(AuditAction::SignInThrottled, Some("Alex")),
            "Failed sign-ins as Alex"
        );
    }
}

//! The token list's filters, as they appear in the page's URL query
//! (`?q=feed&created=7d&state=disabled`), so a filtered list can be linked and reloaded.

use super::paging::query_value;
use serde::{Deserialize, Serialize};

/// **Created on**.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CreatedWithin {
    /// Any time.
    #[default]
    Any,
    /// Within the last 7 days.
    Last7Days,
    /// Within the last 30 days.
    Last30Days,
    /// More than 30 days ago.
    Older,
}

impl CreatedWithin {
    /// Every choice, in the order the select shows them.
    pub const ALL: [CreatedWithin; 4] = [
        CreatedWithin::Any,
        CreatedWithin::Last7Days,
        CreatedWithin::Last30Days,
        CreatedWithin::Older,
    ];

    /// The value in the URL.
    pub fn id(self) -> &'static str {
        match self {
            CreatedWithin::Any => "",
            CreatedWithin::Last7Days => "7d",
            CreatedWithin::Last30Days => "30d",
            CreatedWithin::Older => "older",
        }
    }

    /// The option's label.
    pub fn label(self) -> &'static str {
        match self {
            CreatedWithin::Any => "Any time",
            CreatedWithin::Last7Days => "Last 7 days",
            CreatedWithin::Last30Days => "Last 30 days",
            CreatedWithin::Older => "Older than 30 days",
        }
    }

    /// The creation times that match, as `(from, until)` Unix seconds, `until` exclusive.
    pub fn range(self, now: i64) -> (Option<i64>, Option<i64>) {
        const DAY: i64 = 86_400;
        match self {
            CreatedWithin::Any => (None, None),
            CreatedWithin::Last7Days => (Some(now - 7 * DAY), None),
            CreatedWithin::Last30Days => (Some(now - 30 * DAY), None),
            CreatedWithin::Older => (None, Some(now - 30 * DAY)),
        }
    }
}

/// **State**.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum StateFilter {
    /// Every token.
    #[default]
    Any,
    /// Only enabled tokens.
    Enabled,
    /// Only disabled tokens (not expired).
    Disabled,
    /// Only expired tokens.
    Expired,
    /// Only tokens with a secret reported exposed (until a Reset), whatever else they are.
    Exposed,
    /// Only tokens that used 90 % of their quota's window.
    NearQuota,
    /// Only tokens that expire within the next 7 days (not yet expired).
    ExpiringSoon,
    /// Only live tokens with no call in the last 30 days (and older than that).
    Unused,
    /// Only tokens whose primary contact is disabled.
    ContactDisabled,
}

impl StateFilter {
    /// Every choice, in the order the select shows them.
    pub const ALL: [StateFilter; 9] = [
        StateFilter::Any,
        StateFilter::Enabled,
        StateFilter::Disabled,
        StateFilter::Expired,
        StateFilter::Exposed,
        StateFilter::NearQuota,
        StateFilter::ExpiringSoon,
        StateFilter::Unused,
        StateFilter::ContactDisabled,
    ];

    /// The value in the URL.
    pub fn id(self) -> &'static str {
        match self {
            StateFilter::Any => "",
            StateFilter::Enabled => "enabled",
            StateFilter::Disabled => "disabled",
            StateFilter::Expired => "expired",
            StateFilter::Exposed => "exposed",
            StateFilter::NearQuota => "near_quota",
            StateFilter::ExpiringSoon => "expiring",
            StateFilter::Unused => "unused",
            StateFilter::ContactDisabled => "contact_disabled",
        }
    }

    /// The option's label.
    pub fn label(self) -> &'static str {
        match self {
            StateFilter::Any => "Any state",
            StateFilter::Enabled => "Enabled",
            StateFilter::Disabled => "Disabled",
            StateFilter::Expired => "Expired",
            StateFilter::Exposed => "Exposed",
            StateFilter::NearQuota => "Near its quota",
            StateFilter::ExpiringSoon => "Expiring within 7 days",
            StateFilter::Unused => "Unused for 30 days",
            StateFilter::ContactDisabled => "Primary contact disabled",
        }
    }

    /// The state to match (its URL id), `None` for any. Enabled means usable: enabled and
    /// not expired; an expired token is Expired whether enabled or not.
    pub fn matches(self) -> Option<&'static str> {
        (self != StateFilter::Any).then(|| self.id())
    }
}

/// A token's state as its badge shows it, in the filter's terms (an expired token is
/// Expired whether enabled or not): the badge's class and its word.
pub fn state_badge(expired: bool, enabled: bool) -> (&'static str, &'static str) {
    let (class, state) = if expired {
        ("state expired", StateFilter::Expired)
    } else if enabled {
        ("state enabled", StateFilter::Enabled)
    } else {
        ("state disabled", StateFilter::Disabled)
    };
    (class, state.label())
}

/// The longest search text kept; longer input is cut, never refused.
pub const MAX_SEARCH: usize = 64;

/// Every filter of the list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenFilter {
    /// Part of the name, any case; empty for all.
    pub search: String,
    /// **Created on**.
    pub created: CreatedWithin,
    /// **State**.
    pub state: StateFilter,
}

impl TokenFilter {
    /// Reads the filters from the query's `q`, `created` and `state`. A value that isn't
    /// one of the choices (an old or hand-edited link) counts as "any", and is reported.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> (Self, Vec<String>) {
        let mut ignored = Vec::new();
        let search: String = get("q")
            .unwrap_or_default()
            .trim()
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_SEARCH)
            .collect();
        let value = |key: &str| get(key).unwrap_or_default().trim().to_string();
        let created_id = value("created");
        let created = CreatedWithin::ALL
            .into_iter()
            .find(|c| c.id() == created_id)
            .unwrap_or_else(|| {
                ignored.push(format!("created={created_id}"));
                CreatedWithin::Any
            });
        let state_id = value("state");
        let state = StateFilter::ALL
            .into_iter()
            .find(|s| s.id() == state_id)
            .unwrap_or_else(|| {
                ignored.push(format!("state={state_id}"));
                StateFilter::Any
            });
        (
            Self {
                search,
                created,
                state,
            },
            ignored,
        )
    }

    /// Whether any filter is set.
    pub fn is_active(&self) -> bool {
        *self != Self::default()
    }

    /// The search as the inside of a `LIKE '%…%'` pattern (escape `\\`): folded like
    /// [`fold_name`], with `LIKE`'s wildcards taken literally.
    pub fn like_infix(&self) -> String {
        let mut infix = String::new();
        for c in fold_name(&self.search).chars() {
            if matches!(c, '%' | '_' | '\\') {
                infix.push('\\');
            }
            infix.push(c);
        }
        infix
    }

    /// The link to `page` of the list with these filters.
    pub fn href(&self, page: u32) -> String {
        let mut pairs = Vec::new();
        if !self.search.is_empty() {
            pairs.push(format!("q={}", query_value(&self.search)));
        }
        if self.created != CreatedWithin::Any {
            pairs.push(format!("created={}", self.created.id()));
        }
        if self.state != StateFilter::Any {
            pairs.push(format!("state={}", self.state.id()));
        }
        if page > 1 {
            pairs.push(format!("page={page}"));
        }
        if pairs.is_empty() {
            "/settings/api".to_string()
        } else {
            format!("/settings/api?{}", pairs.join("&"))
        }
    }
}

/// A token name as search compares it: Unicode lower case, stored beside the name.
pub fn fold_name(name: &str) -> String {
    name.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_badge_says_expired_before_enabled_or_disabled() {
        assert_eq!(state_badge(true, true), ("state expired", "Expired"));
        assert_eq!(state_badge(true, false), ("state expired", "Expired"));
        assert_eq!(state_badge(false, true), ("state enabled", "Enabled"));
        assert_eq!(state_badge(false, false), ("state disabled", "Disabled"));
    }

    fn query<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn reads_every_filter_from_the_query() {
        let (filter, ignored) = TokenFilter::from_query(query(&[
            ("q", " Feed "),
            ("created", "7d"),
            ("state", "disabled"),
        ]));
        assert_eq!(filter.search, "Feed");
        assert_eq!(filter.created, CreatedWithin::Last7Days);
        assert_eq!(filter.state, StateFilter::Disabled);
        assert!(ignored.is_empty());
        assert!(filter.is_active());
    }

    #[test]
    fn the_home_pages_filters_read_from_their_links() {
        for state in [
            StateFilter::ExpiringSoon,
            StateFilter::Unused,
            StateFilter::ContactDisabled,
        ] {
            let filter = TokenFilter {
                state,
                ..TokenFilter::default()
            };
            let href = filter.href(1);
            let id = href.rsplit('=').next().unwrap_or_default().to_string();
            let (read, ignored) = TokenFilter::from_query(query(&[("state", &id)]));
            assert_eq!(read, filter, "{href}");
            assert!(ignored.is_empty());
        }
        assert_eq!(
            StateFilter::Unused.matches(),
            Some("unused"),
            "the list's SQL matches on the id"
        );
    }

    #[test]
    fn unknown_values_count_as_any_and_are_reported() {
        let (filter, ignored) =
            TokenFilter::from_query(query(&[("created", "yesterday"), ("state", "on")]));
        assert_eq!(filter, TokenFilter::default());
        assert_eq!(ignored, ["created=yesterday", "state=on"]);
        assert!(!filter.is_active());
    }

    #[test]
    fn long_searches_are_cut() {
        let long = "x".repeat(500);
        let (filter, _) = TokenFilter::from_query(query(&[("q", &long)]));
        assert_eq!(filter.search.len(), MAX_SEARCH);
    }

    #[test]
    fn searches_are_like_infixes_with_wildcards_escaped() {
        let search = |text: &str| TokenFilter {
            search: text.into(),
            ..TokenFilter::default()
        };
        assert_eq!(search("").like_infix(), "");
        assert_eq!(search("Nightly FEED").like_infix(), "nightly feed");
        assert_eq!(search("50%_a\\b").like_infix(), "50\\%\\_a\\\\b");
        assert_eq!(search("ÄRGER").like_infix(), "ärger");
        assert_eq!(fold_name("Zürich FEED"), "zürich feed");
    }

    #[test]
    fn links_keep_the_filters_and_the_page() {
        assert_eq!(TokenFilter::default().href(1), "/settings/api");
        assert_eq!(TokenFilter::default().href(2), "/settings/api?page=2");
        let filter = TokenFilter {
            search: "feed & co".into(),
            created: CreatedWithin::Older,
            state: StateFilter::Enabled,
        };
        assert_eq!(
            filter.href(3),
            "/settings/api?q=feed+%26+co&created=older&state=enabled&page=3"
        );
    }
}

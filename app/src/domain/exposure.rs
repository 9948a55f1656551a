//! Leaked secrets: what an account does when a secret-scanning report says one of its
//! tokens' secrets was found in public (**When a token is exposed**), who reported it, and
//! the URL it was found at as the console may show it.

use serde::{Deserialize, Serialize};

/// **When a token is exposed**: what a report of a live secret does to its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ExposurePolicy {
    /// The secret reported stops working at once; the token stays and can be Reset.
    #[default]
    RevokeSecret,
    /// The token is disabled (its secret unchanged, so Enable brings it back).
    DisableToken,
    /// Nothing changes but the record, the audit event and the mail.
    NotifyOnly,
}

impl ExposurePolicy {
    /// Every choice, in the order the form shows them.
    pub const ALL: [ExposurePolicy; 3] = [
        ExposurePolicy::RevokeSecret,
        ExposurePolicy::DisableToken,
        ExposurePolicy::NotifyOnly,
    ];

    /// The id stored and posted.
    pub fn id(self) -> &'static str {
        match self {
            ExposurePolicy::RevokeSecret => "revoke",
            ExposurePolicy::DisableToken => "disable",
            ExposurePolicy::NotifyOnly => "notify",
        }
    }

    /// The id back to a choice.
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.id() == id)
    }

    /// The choice's label.
    pub fn label(self) -> &'static str {
        match self {
            ExposurePolicy::RevokeSecret => "Revoke the secret at once",
            ExposurePolicy::DisableToken => "Disable the token",
            ExposurePolicy::NotifyOnly => "Notify only",
        }
    }

    /// What the choice does, under its label.
    pub fn hint(self) -> &'static str {
        match self {
            ExposurePolicy::RevokeSecret => {
                "The exposed Auth Token stops working within a second. The token keeps its \
                 settings: Reset it to issue a new secret."
            }
            ExposurePolicy::DisableToken => {
                "The token stops working. Enable brings it back with the same secret, so \
                 Reset it first."
            }
            ExposurePolicy::NotifyOnly => {
                "The secret keeps working. Contacts and administrators are mailed; you decide."
            }
        }
    }

    /// What was done, for the audit trail and the mail.
    pub fn outcome(self) -> &'static str {
        match self {
            ExposurePolicy::RevokeSecret => "The exposed Auth Token was revoked",
            ExposurePolicy::DisableToken => "The token was disabled",
            ExposurePolicy::NotifyOnly => "Nothing was changed (the policy is Notify only)",
        }
    }
}

/// Who reported a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reporter {
    /// GitHub's secret scanning, with where on GitHub it was found (`content`, `commit`,
    /// `gist`, `npm`, … as GitHub says; anything else is `other`).
    GitHub(String),
    /// Anyone, through `POST /secret-scanning/report`.
    Public,
}

/// The longest source name kept from a GitHub report.
const MAX_SOURCE: usize = 40;

impl Reporter {
    /// GitHub's report, its `source` kept if it is a plain name.
    pub fn github(source: Option<&str>) -> Self {
        let plain = |s: &&str| {
            !s.is_empty()
                && s.len() <= MAX_SOURCE
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
        };
        Reporter::GitHub(source.filter(plain).unwrap_or("other").to_string())
    }

    /// How it is stored: `github:<source>` or `report`.
    pub fn stored(&self) -> String {
        match self {
            Reporter::GitHub(source) => format!("github:{source}"),
            Reporter::Public => "report".to_string(),
        }
    }

    /// The stored form back (anything unknown reads as a public report).
    pub fn from_stored(stored: &str) -> Self {
        match stored.strip_prefix("github:") {
            Some(source) => Reporter::github(Some(source)),
            None => Reporter::Public,
        }
    }

    /// As people read it.
    pub fn label(&self) -> String {
        match self {
            Reporter::GitHub(source) => {
                format!("GitHub secret scanning ({})", source.replace('_', " "))
            }
            Reporter::Public => "A report to /secret-scanning/report".to_string(),
        }
    }

    /// Whether the reporter proved who it is (a signed GitHub report): only then is the
    /// URL it gave shown as a link.
    pub fn is_verified(&self) -> bool {
        matches!(self, Reporter::GitHub(_))
    }
}

/// The longest URL kept from a report, in characters.
pub const MAX_URL: usize = 512;

/// The URL a report gave, as it may be stored and shown: trimmed, control characters and
/// the invisible ones that could disguise it (zero-width, bidirectional overrides) dropped,
/// cut to [`MAX_URL`] characters; `None` when nothing is left.
pub fn clean_url(raw: &str) -> Option<String> {
    let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}');
    let cleaned: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_control() && !invisible(*c))
        .take(MAX_URL)
        .collect();
    (!cleaned.is_empty()).then_some(cleaned)
}

/// Whether `url` may be a link: `https://` only (never `javascript:` or `data:`).
pub fn is_linkable(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        && !url.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_round_trip_and_revoking_is_the_default() {
        for policy in ExposurePolicy::ALL {
            assert_eq!(ExposurePolicy::from_id(policy.id()), Some(policy));
        }
        assert_eq!(ExposurePolicy::from_id("delete"), None);
        assert_eq!(ExposurePolicy::default(), ExposurePolicy::RevokeSecret);
        assert_eq!(
            ExposurePolicy::RevokeSecret.label(),
            "Revoke the secret at once"
        );
    }

    #[test]
    fn reporters_keep_only_plain_sources() {
        assert_eq!(Reporter::github(Some("content")).stored(), "github:content");
        assert_eq!(
            Reporter::github(Some("pull_request_title")).label(),
            "GitHub secret scanning (pull request title)"
        );
        assert_eq!(Reporter::github(Some("<script>")).stored(), "github:other");
        assert_eq!(Reporter::github(None).stored(), "github:other");
        assert_eq!(
            Reporter::from_stored("github:gist"),
            Reporter::github(Some("gist"))
        );
        assert_eq!(Reporter::from_stored("report"), Reporter::Public);
        assert!(!Reporter::Public.is_verified());
    }

    #[test]
    fn urls_are_cleaned_and_bounded() {
        assert_eq!(
            clean_url("  https://x.test/a \n"),
            Some("https://x.test/a".into())
        );
        assert_eq!(
            clean_url("https://x\u{7}.test"),
            Some("https://x.test".into())
        );
        assert_eq!(clean_url(" \t "), None);
        let disguised = "https://good.test/\u{202E}txt.exe\u{200B}";
        assert_eq!(
            clean_url(disguised),
            Some("https://good.test/txt.exe".into())
        );
        let long = format!("https://x.test/{}", "é".repeat(1000));
        assert_eq!(clean_url(&long).unwrap().chars().count(), MAX_URL);
    }

    #[test]
    fn only_https_urls_are_links() {
        assert!(is_linkable("https://github.com/o/r/blob/x/f.txt"));
        assert!(is_linkable("HTTPS://github.com/"));
        assert!(!is_linkable("javascript:alert(1)"));
        assert!(!is_linkable("http://plain.test/"));
        assert!(!is_linkable("https://a.test/ b"));
        assert!(!is_linkable("https:"));
    }
}

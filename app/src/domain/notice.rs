//! The messages a token's contacts receive when it changes. Never a secret.

use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::Actor;
use crate::domain::DEVELOPER_MESSAGES_PER_HOUR;

/// A message for one contact, before it is queued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Held changes a summary lists one by one; it counts the rest.
const SUMMARY_LINES: usize = 50;

/// What happened to a token: what its contacts are told about.
pub struct TokenEvent<'a> {
    /// The token's name (after the change).
    pub token_name: &'a str,
    /// The token's SID.
    pub sid: &'a str,
    /// What happened.
    pub action: AuditAction,
    /// Before and after.
    pub detail: &'a AuditDetail,
}

/// Fields whose values a message may quote: short and checked by the wizard's rules, or
/// written by the server ("Old secret", "Expiration": instants).
/// Anything else a user typed (a description, a list of addresses) is only said to have
/// changed, so nobody can send their own words to a token's contacts from this server.
const QUOTED_FIELDS: [&str; 4] = ["Name", "API version", "Old secret", "Expiration"];

/// What a message says changed.
fn notice_lines(detail: &AuditDetail) -> Vec<String> {
    let mut lines: Vec<String> = detail
        .changes
        .iter()
        .map(|change| {
            if QUOTED_FIELDS.contains(&change.field.as_str()) {
                format!("{}: “{}” → “{}”", change.field, change.before, change.after)
            } else {
                format!("{} changed", change.field)
            }
        })
        .collect();
    if !detail.scopes_added.is_empty() {
        lines.push(format!("Scopes added: {}", detail.scopes_added.join(", ")));
    }
    if !detail.scopes_removed.is_empty() {
        lines.push(format!(
            "Scopes removed: {}",
            detail.scopes_removed.join(", ")
        ));
    }
    lines
}

/// `subject` and `body` to each of `recipients`, each address once whatever its case.
pub(crate) fn to_each(
    recipients: impl IntoIterator<Item = String>,
    subject: &str,
    body: &str,
) -> Vec<Notice> {
    let mut seen = std::collections::BTreeSet::new();
    recipients
        .into_iter()
        .filter(|r| seen.insert(r.to_lowercase()))
        .map(|recipient| Notice {
            recipient,
            subject: subject.to_string(),
            body: body.to_string(),
        })
        .collect()
}

/// One message per recipient, each address once whatever its case.
pub fn messages(
    about: TokenEvent<'_>,
    actor: &Actor,
    recipients: impl IntoIterator<Item = String>,
) -> Vec<Notice> {
    let subject = format!(
        "API access token \"{}\": {}",
        about.token_name,
        about.action.notice()
    );
    let mut body = format!(
        "{} ({}) — {}: {} on the API access token \"{}\" ({}).\n",
        actor.name,
        actor.email,
        actor.account_name,
        about.action.summary(),
        about.token_name,
        about.sid
    );
    for line in notice_lines(about.detail) {
        body.push_str(&format!("  {line}\n"));
    }
    body.push_str(&format!(
        "\nSee the token in the console: Settings → Technical → API → {} \
         (/settings/api/tokens/{}).\n\
         You receive this because you are a contact of this token. \
         If you did not expect this change, tell your account administrator.\n",
        about.token_name, about.sid
    ));
    to_each(recipients, &subject, &body)
}

/// The warning that a token expires soon (`tomorrow`: the day before, else the week
/// before), at `ends` (an instant in words, UTC).
pub fn expiring(
    token_name: &str,
    sid: &str,
    ends: &str,
    tomorrow: bool,
    recipients: impl IntoIterator<Item = String>,
) -> Vec<Notice> {
    let when = if tomorrow {
        "within a day"
    } else {
        "within 7 days"
    };
    let subject = format!("API access token \"{token_name}\": expires {when}");
    let body = format!(
        "The API access token \"{token_name}\" ({sid}) expires at {ends}. After that it \
         authenticates nowhere, and the services using it stop working.\n\n\
         To keep it working, renew it on its page in the console (a new expiration, the \
         same Auth Token), or make a new token and move your services over: \
         Settings → Technical → API → {token_name} (/settings/api/tokens/{sid}).\n\
         You receive this because you are a contact of this token.\n"
    );
    to_each(recipients, &subject, &body)
}

/// What the token's contacts are told when whoever held one of its secrets revoked it:
/// `action` is [`AuditAction::RevokedByHolder`] (the current secret: the token is disabled)
/// or [`AuditAction::OldSecretRevoked`] (a Reset's old secret: its overlap ends).
pub fn revoked_by_holder(
    token_name: &str,
    sid: &str,
    action: AuditAction,
    recipients: impl IntoIterator<Item = String>,
) -> Vec<Notice> {
    let subject = format!("API access token \"{token_name}\": {}", action.notice());
    let what = if action == AuditAction::OldSecretRevoked {
        "The old Auth Token (kept working after the last Reset) of the API access token"
    } else {
        "The Auth Token of the API access token"
    };
    let outcome = if action == AuditAction::OldSecretRevoked {
        "so it stopped working now; the current Auth Token still works"
    } else {
        "so the token is now disabled: it authenticates nowhere"
    };
    let body = format!(
        "{what} \"{token_name}\" ({sid}) was sent to this server's revocation endpoint \
         (/oauth/revoke), {outcome}.\n\n\
         Whoever sends a secret there holds it. If it wasn't you or your integration, the \
         secret may have leaked: in the console, Reset the token to issue a new secret, then \
         Enable it again (Settings → Technical → API → {token_name}, \
         /settings/api/tokens/{sid}).\n\
         You receive this because you are a contact of this token.\n"
    );
    to_each(recipients, &subject, &body)
}

/// What a token's contacts are told when 90 % of its quota is used, and when it is spent
/// (`spent`), once each per window.
pub fn quota(about: QuotaNotice<'_>, recipients: impl IntoIterator<Item = String>) -> Vec<Notice> {
    let QuotaNotice {
        token_name,
        sid,
        quota,
        refills,
        spent,
    } = about;
    let action = if spent {
        AuditAction::QuotaSpent
    } else {
        AuditAction::QuotaNearlySpent
    };
    let subject = format!("API access token \"{token_name}\": {}", action.notice());
    let state = if spent {
        format!("has spent its quota of {quota}")
    } else {
        format!("has used 90 % of its quota of {quota}")
    };
    let after = match (spent, refills) {
        (true, Some(at)) => format!("Its calls are refused (429) until the quota refills on {at}."),
        (true, None) => "Its calls are refused (403): the quota is never refilled.".to_string(),
        (false, Some(at)) => {
            format!("Past the quota its calls are refused until it refills on {at}.")
        }
        (false, None) => "Past the quota its calls are refused: it is never refilled.".to_string(),
    };
    let body = format!(
        "The API access token \"{token_name}\" ({sid}) {state}. {after}\n\n\
         To let it call more, raise its quota: Settings → Technical → API → {token_name} \
         (/settings/api/tokens/{sid}), Limits.\n\
         You receive this because you are a contact of this token.\n"
    );
    to_each(recipients, &subject, &body)
}

/// What [`quota`] says.
pub struct QuotaNotice<'a> {
    pub token_name: &'a str,
    pub sid: &'a str,
    /// The quota in words.
    pub quota: &'a str,
    /// When it refills, in words (UTC); `None`: never.
    pub refills: Option<&'a str>,
    /// Spent (else 90 % used).
    pub spent: bool,
}

/// What a token's contacts and the account's administrators are told when one of its
/// secrets is reported exposed. The secret itself is never quoted: the mail names the
/// token, where the secret was found, who said so and what was done.
pub fn exposed(about: Exposed<'_>, recipients: impl IntoIterator<Item = String>) -> Vec<Notice> {
    let Exposed {
        token_name,
        sid,
        reporter,
        url,
        at,
        outcome,
    } = about;
    let subject = format!(
        "API access token \"{token_name}\": {}",
        AuditAction::Exposed.notice()
    );
    let found = url.map_or_else(String::new, |url| format!(" at {url}"));
    let body = format!(
        "An Auth Token of the API access token \"{token_name}\" ({sid}) was found in \
         public{found}. {reporter} reported it at {at}.\n\n\
         {outcome}.\n\n\
         Whoever saw it may use it. Reset the token to issue a new secret, update the \
         services that use it, and remove the secret from where it was found: \
         Settings → Technical → API → {token_name} (/settings/api/tokens/{sid}).\n\
         You receive this because you are a contact of this token or an administrator of \
         its account.\n"
    );
    to_each(recipients, &subject, &body)
}

/// What [`exposed`] says.
pub struct Exposed<'a> {
    pub token_name: &'a str,
    pub sid: &'a str,
    /// Who reported it, as people read it.
    pub reporter: &'a str,
    /// Where it was found, if the report said.
    pub url: Option<&'a str>,
    /// When it was reported, in words (UTC).
    pub at: &'a str,
    /// What the account's policy did.
    pub outcome: &'a str,
}

/// What a user is told when their own sign-in changes (`action`: a factor added or
/// removed, a recovery code used, new recovery codes): so that a change they did not make
/// is noticed.
pub fn own_sign_in(recipient: &str, user_name: &str, action: AuditAction, at: &str) -> Notice {
    let body = format!(
        "Hello {user_name},\n\n\
         {}: this happened to your Tokensmith sign-in at {at}.\n\n\
         If it was you, there is nothing to do. If it wasn't, someone may have your password: \
         sign in, change your password, review Security (/settings/security), and tell your \
         account administrator.\n",
        action.summary()
    );
    Notice {
        recipient: recipient.to_string(),
        subject: format!("Your Tokensmith sign-in: {}", action.notice()),
        body,
    }
}

/// The one message that stands for the changes held back from `recipient`: when each was
/// made and its subject (`lines`, oldest first).
pub fn summary(token_name: &str, sid: &str, recipient: &str, lines: &[(String, String)]) -> Notice {
    let count = lines.len();
    let changes = if count == 1 { "change" } else { "changes" };
    let mut body = format!(
        "The API access token \"{token_name}\" ({sid}) had {count} more {changes} after its \
         developer emails had received {DEVELOPER_MESSAGES_PER_HOUR} messages within an hour. \
         Instead of one message each, here they are together:\n"
    );
    for (at, subject) in lines.iter().take(SUMMARY_LINES) {
        body.push_str(&format!("  {at}  {subject}\n"));
    }
    if count > SUMMARY_LINES {
        body.push_str(&format!("  … and {} more\n", count - SUMMARY_LINES));
    }
    body.push_str(&format!(
        "\nSee what changed in the token's history in the console: Settings → Technical → \
         API → {token_name} (/settings/api/tokens/{sid}).\n\
         You receive this because you are a developer contact of this token. \
         If you did not expect these changes, tell the account's administrator.\n"
    ));
    Notice {
        recipient: recipient.to_string(),
        subject: format!("API access token \"{token_name}\": {count} {changes} summarised"),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_text_is_never_quoted() {
        let mut detail = AuditDetail::default();
        detail.compare("Name", "Feed", "Catalog feed");
        detail.compare(
            "Description",
            "",
            "Click https://evil.test to keep your token",
        );
        detail.compare("Developer emails", "a@x.test", "b@x.test, c@x.test");
        let lines = notice_lines(&detail);
        assert_eq!(
            lines,
            [
                "Name: “Feed” → “Catalog feed”",
                "Description changed",
                "Developer emails changed"
            ]
        );
    }

    #[test]
    fn a_summary_lists_what_it_stands_for_and_counts_the_rest() {
        let lines: Vec<(String, String)> = (0..52)
            .map(|i| (format!("t{i}"), format!("change {i}")))
            .collect();
        let message = summary("Feed", "SK1", "dev@partner.test", &lines);
        assert_eq!(message.recipient, "dev@partner.test");
        assert_eq!(
            message.subject,
            "API access token \"Feed\": 52 changes summarised"
        );
        assert!(message.body.contains("  t0  change 0\n"));
        assert!(message.body.contains("  t49  change 49\n"));
        assert!(!message.body.contains("change 50"));
        assert!(message.body.contains("… and 2 more"));
        let one = summary("Feed", "SK1", "dev@partner.test", &lines[..1]);
        assert_eq!(
            one.subject,
            "API access token \"Feed\": 1 change summarised"
        );
    }
}

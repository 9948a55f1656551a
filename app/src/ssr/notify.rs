//! The messages a token's contacts receive when it changes. Never a secret.

use super::auth::CurrentUser;
use super::db::outbox::Notification;
use crate::domain::audit::{AuditAction, AuditDetail};

/// What the message is about.
pub struct About<'a> {
    /// The token's name (after the change).
    pub token_name: &'a str,
    /// The token's SID.
    pub sid: &'a str,
    /// What happened.
    pub action: AuditAction,
    /// Before and after.
    pub detail: &'a AuditDetail,
}

/// One message per recipient, each address once whatever its case.
pub fn messages(
    about: About<'_>,
    actor: &CurrentUser,
    recipients: impl IntoIterator<Item = String>,
) -> Vec<Notification> {
    let mut seen = std::collections::BTreeSet::new();
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
    for line in about.detail.lines() {
        body.push_str(&format!("  {line}\n"));
    }
    body.push_str(
        "\nYou receive this because you are a contact of this token. \
         If you did not expect this change, tell your account administrator.\n",
    );
    recipients
        .into_iter()
        .filter(|r| seen.insert(r.to_lowercase()))
        .map(|recipient| Notification {
            recipient,
            subject: subject.clone(),
            body: body.clone(),
        })
        .collect()
}

//! What a webhook message carries, as Standard Webhooks suggests: `type`, `timestamp` and
//! `data`. Ids, names, the actor and scopes before and after; never a secret, and never a
//! description's, reason's or note's free text.

use serde::{Deserialize, Serialize};

/// A message's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// The event's id (`token.created`).
    #[serde(rename = "type")]
    pub kind: String,
    /// When it happened, RFC 3339 in UTC.
    pub timestamp: String,
    pub data: EventData,
}

/// Something named: a token (its SID), a request (its number), a user (their email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRef {
    pub id: String,
    pub name: String,
}

/// A token's scopes before and after a change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeChange {
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

/// What the event is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventData {
    /// The account's SID.
    pub account: String,
    /// Who acted; `None`: nobody signed in (the server, or whoever held a secret).
    pub actor: Option<NamedRef>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub token: Option<NamedRef>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub request: Option<NamedRef>,
    /// The user an event about users is about.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user: Option<NamedRef>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scopes: Option<ScopeChange>,
    /// The fields that changed, by name (their values are on the token's page).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub fields: Vec<String>,
    /// The token's expiration, RFC 3339 (expiring and expired tokens).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub expires_at: Option<String>,
}

impl ScopeChange {
    /// The change to `after` that added `added` and removed `removed`.
    pub fn from_after(after: Vec<String>, added: &[String], removed: &[String]) -> Self {
        let mut before: Vec<String> = after
            .iter()
            .filter(|s| !added.contains(s))
            .cloned()
            .chain(removed.iter().cloned())
            .collect();
        before.sort();
        before.dedup();
        Self {
            before,
            after,
            added: added.to_vec(),
            removed: removed.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_before_come_from_after_and_the_change() {
        let change = ScopeChange::from_after(
            vec!["ads:get".into(), "ads:post".into()],
            &["ads:post".into()],
            &["actions:get".into()],
        );
        assert_eq!(change.before, ["actions:get", "ads:get"]);
    }

    #[test]
    fn the_body_is_type_timestamp_and_data_without_empty_parts() {
        let payload = Payload {
            kind: "token.deleted".into(),
            timestamp: "2026-12-06T10:00:00Z".into(),
            data: EventData {
                account: "AC1".into(),
                token: Some(NamedRef {
                    id: "SK1".into(),
                    name: "Feed".into(),
                }),
                ..EventData::default()
            },
        };
        assert_eq!(
            serde_json::to_string(&payload).unwrap(),
            r#"{"type":"token.deleted","timestamp":"2026-12-06T10:00:00Z","data":{"account":"AC1","actor":null,"token":{"id":"SK1","name":"Feed"}}}"#
        );
    }
}

//! A page of the account's audit log, filtered.

use crate::domain::activity::{ActivityFilter, Direction};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

/// One event as the log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEvent {
    /// The event's key: its place in the log.
    pub id: i64,
    /// When, as shown (`2026-11-29 21:30 UTC`).
    pub at: String,
    /// When, for `<time datetime>` (RFC 3339, UTC).
    pub datetime: String,
    /// Who acted.
    pub actor: String,
    /// The action's stored id (for the CSV).
    pub action: String,
    /// What happened, as a sentence.
    pub summary: String,
    /// The token's SID and name, for token events.
    pub token: Option<(String, String)>,
    /// The detail's lines.
    pub lines: Vec<String>,
}

#[cfg(feature = "ssr")]
impl ActivityEvent {
    /// The event as stored.
    pub fn from_row(row: crate::ssr::db::activity::ActivityRow) -> Self {
        use crate::domain::activity::actor_label;
        use crate::domain::audit::{AuditAction, AuditDetail};
        use crate::domain::expiration::format_instant;
        let detail: AuditDetail = serde_json::from_str(&row.detail).unwrap_or_default();
        let action = AuditAction::from_id(&row.action);
        let actor = match action {
            Some(action) => actor_label(action, row.actor.as_deref()),
            None => row.actor.unwrap_or_default(),
        };
        Self {
            id: row.id,
            at: format_instant(row.created_at),
            datetime: time::OffsetDateTime::from_unix_timestamp(row.created_at)
                .ok()
                .and_then(|t| {
                    t.format(&time::format_description::well_known::Rfc3339)
                        .ok()
                })
                .unwrap_or_default(),
            actor,
            summary: action.map_or_else(|| row.action.clone(), |a| a.summary().to_string()),
            action: row.action,
            token: row.token_sid.zip(row.token_name),
            lines: detail.lines(),
        }
    }
}

/// A page of the log, and the links on either side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityView {
    /// The events, newest first.
    pub events: Vec<ActivityEvent>,
    /// Where **Older** goes, if there are older events.
    pub older: Option<Direction>,
    /// Where **Newer** goes, if there are newer events.
    pub newer: Option<Direction>,
    /// The account's users for the **Actor** filter: `(key, name)`.
    pub actors: Vec<(i64, String)>,
}

/// The events of the caller's account matching `filter`, a page from `direction`;
/// Account Administrators and Implementation Specialists only.
#[server(endpoint = "list_activity", input = Json)]
pub async fn list_activity(
    filter: ActivityFilter,
    direction: Option<Direction>,
) -> Result<ActivityView, AppError> {
    use crate::domain::activity::{Cursor, PAGE_SIZE};
    use crate::domain::Permission;
    use crate::ssr::{auth, db::activity};
    crate::ssr::response::respond(async move {
        let (user, state) = auth::require(Permission::ViewActivity).await?;
        let page =
            activity::page(&state.pool, user.account_id, &filter, direction, PAGE_SIZE).await?;
        let cursor = |row: &activity::ActivityRow| Cursor {
            at: row.created_at,
            id: row.id,
        };
        let older = page
            .has_older
            .then(|| page.rows.last().map(|r| Direction::Before(cursor(r))))
            .flatten();
        let newer = page
            .has_newer
            .then(|| page.rows.first().map(|r| Direction::After(cursor(r))))
            .flatten();
        let actors = activity::actors(&state.pool, user.account_id).await?;
        Ok(ActivityView {
            events: page.rows.into_iter().map(ActivityEvent::from_row).collect(),
            older,
            newer,
            actors,
        })
    })
    .await
}

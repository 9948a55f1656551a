//! One change to a token as the record keeps it: its audit event and the messages its
//! contacts receive, written in the change's own transaction. The outbox worker is woken
//! once that transaction commits ([`super::Tx::wake_outbox_on_commit`]).

use super::audit::{self, AuditEvent};
use super::engine::Tx;
use super::outbox;
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::Notice;
use crate::error::AppError;

/// A change to record.
pub struct RecordedChange<'a> {
    pub account_id: i64,
    pub token_id: i64,
    /// `None`: nobody signed in acted (whoever held the token's secret).
    pub actor_id: Option<i64>,
    pub action: AuditAction,
    /// Before and after.
    pub detail: &'a AuditDetail,
    /// Unix seconds.
    pub at: i64,
    /// What the contacts are told.
    pub messages: &'a [Notice],
}

/// Records `change` inside `tx`: the audit event, then the messages in the outbox.
pub async fn record_change(tx: &mut Tx, change: RecordedChange<'_>) -> Result<(), AppError> {
    let event = AuditEvent {
        account_id: change.account_id,
        token_id: Some(change.token_id),
        actor_id: change.actor_id,
        action: change.action,
        detail: change.detail,
        at: change.at,
    };
    audit::record(tx, event).await?;
    outbox::queue(
        tx,
        change.account_id,
        change.token_id,
        change.messages,
        change.at,
    )
    .await
}

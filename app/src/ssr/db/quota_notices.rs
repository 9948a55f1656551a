//! A quota's two moments its token's contacts hear of: 90 % of the window's calls handed
//! out, and none left. Each is marked on the window's row, so it is told once per window
//! whichever instance gets there first, and recorded in the token's history.

use super::engine::{query, Tx};
use super::quota_window::LeaseRequest;
use super::token_record::{record_change, RecordedChange};
use crate::domain::audit::{AuditAction, AuditDetail};
use crate::domain::expiration::format_instant;
use crate::domain::notice::{self, QuotaNotice};
use crate::error::AppError;

/// Which moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaMark {
    /// 90 % of the calls handed out.
    Near,
    /// None left.
    Spent,
}

/// Marks the moment on the window, and if it was not marked yet, records it in the
/// token's history and queues the mail to its contacts; whether it was new.
pub(super) async fn mark(
    tx: &mut Tx,
    asked: &LeaseRequest,
    moment: QuotaMark,
) -> Result<bool, AppError> {
    let statement = match moment {
        QuotaMark::Near => query(
            "UPDATE quota_windows SET warned_near_at = $1
             WHERE owner = $2 AND window_start = $3 AND warned_near_at IS NULL",
        ),
        QuotaMark::Spent => query(
            "UPDATE quota_windows SET warned_spent_at = $1
             WHERE owner = $2 AND window_start = $3 AND warned_spent_at IS NULL",
        ),
    };
    let marked = statement
        .bind(asked.now)
        .bind(asked.window.owner)
        .bind(asked.window.start)
        .execute(&mut *tx)
        .await?;
    // A budget's window is marked, and nobody is told (its tokens' own quotas tell theirs).
    let Some(token_id) = asked.window.token_id().filter(|_| marked > 0) else {
        return Ok(marked > 0);
    };
    if moment == QuotaMark::Near {
        query("UPDATE tokens SET quota_near_until = $1 WHERE id = $2")
            .bind(asked.refills_at.unwrap_or(i64::MAX))
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
    }
    let token: Option<(i64, String, String)> =
        query("SELECT account_id, name, sid FROM tokens WHERE id = $1 AND deleted_at IS NULL")
            .bind(token_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((account_id, name, sid)) = token else {
        return Ok(true);
    };
    let quota = asked.quota.describe();
    let refills = asked.refills_at.map(format_instant);
    let refill_words = refills.clone().unwrap_or_else(|| "Never".to_string());
    let detail = AuditDetail {
        facts: vec![
            ("Quota".to_string(), quota.clone()),
            ("Refills".to_string(), refill_words),
        ],
        ..AuditDetail::default()
    };
    let recipients = super::token_changes::recipients(tx, token_id).await?;
    let about = QuotaNotice {
        token_name: &name,
        sid: &sid,
        quota: &quota,
        refills: refills.as_deref(),
        spent: moment == QuotaMark::Spent,
    };
    let messages = notice::quota(about, recipients);
    let action = match moment {
        QuotaMark::Near => AuditAction::QuotaNearlySpent,
        QuotaMark::Spent => AuditAction::QuotaSpent,
    };
    let change = RecordedChange {
        account_id,
        token_id,
        actor_id: None,
        action,
        detail: &detail,
        at: asked.now,
        messages: &messages,
    };
    record_change(tx, change).await?;
    Ok(true)
}

//! The cap on mail to addresses outside the account: per token, at most
//! [`DEVELOPER_MESSAGES_PER_HOUR`] changes an hour reach its developer emails. Messages of
//! further changes are `held` (and summarised later, [`super::held_mail`]).
//!
//! The cap counts changes (batches), not addresses, so replacing the developer emails
//! between changes doesn't buy new messages.

use super::engine::{query, Tx};
use crate::domain::DEVELOPER_MESSAGES_PER_HOUR;
use crate::error::AppError;

/// The cap's window, in seconds.
pub const WINDOW: i64 = 3600;

/// Why a change's messages to developer emails are held, or `None` when they may go.
/// Once one message is held, later ones wait with it, so the summary keeps their order.
pub async fn hold_reason(tx: &mut Tx, token_id: i64, now: i64) -> Result<Option<String>, AppError> {
    let holding: bool =
        query("SELECT EXISTS (SELECT 1 FROM notifications WHERE token_id = $1 AND state = 'held')")
            .bind(token_id)
            .scalar(&mut *tx)
            .await?;
    let full = recent_batches(tx, token_id, now).await? >= DEVELOPER_MESSAGES_PER_HOUR;
    Ok((holding || full).then(|| {
        format!(
            "developer emails get at most {DEVELOPER_MESSAGES_PER_HOUR} messages an hour \
             about one token; this change goes into one summary message later"
        )
    }))
}

/// Whether `email` is the address of a user of the account (never capped).
pub async fn in_account(tx: &mut Tx, account_id: i64, email: &str) -> Result<bool, AppError> {
    let same = tx.engine().same_text("email", "$2");
    Ok(query(format!(
        "SELECT EXISTS (SELECT 1 FROM users WHERE account_id = $1 AND {same})"
    ))
    .bind(account_id)
    .bind(email)
    .scalar(&mut *tx)
    .await?)
}

/// Changes and summaries mailed to the token's developer emails within the window.
pub(super) async fn recent_batches(tx: &mut Tx, token_id: i64, now: i64) -> Result<i64, AppError> {
    Ok(query(
        "SELECT COUNT(DISTINCT batch) FROM notifications
         WHERE token_id = $1 AND capped = TRUE AND created_at > $2
           AND state NOT IN ('held', 'summarised', 'dropped')",
    )
    .bind(token_id)
    .bind(now - WINDOW)
    .scalar(&mut *tx)
    .await?)
}

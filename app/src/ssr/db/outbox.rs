//! The outbox: messages to a token's contacts, queued in the change's transaction and
//! delivered later by the mail worker.
//!
//! A message is `queued`, then `sending` while an attempt holds its claim, then `sent`,
//! back to `queued` for a retry, `failed` once it has used up its attempts, or `expired`
//! when it was too old to be worth sending by its first attempt. Past the per-token cap on
//! mail outside the account, a message is `held`, then `summarised` in one later message or
//! `dropped` when its address is no longer a contact of the token.

use super::engine::{query, Db, Tx};
use super::mail_cap;
use crate::domain::{Notice, OutboxState};
use crate::error::AppError;
use sqlx::FromRow;

/// Queues `messages` about one change of a token inside `tx`, each with its own
/// Message-ID local part (the first attempt adds the sender's domain).
///
/// Messages to addresses outside the account are capped per token (see [`mail_cap`]):
/// past the cap they are queued `held`, to be summarised later.
pub async fn queue(
    tx: &mut Tx,
    account_id: i64,
    token_id: i64,
    messages: &[Notice],
    now: i64,
) -> Result<(), AppError> {
    let batch = format!("change.{}", crate::ssr::random_base62(16));
    let held = mail_cap::hold_reason(tx, token_id, now).await?;
    for message in messages {
        let capped = !mail_cap::in_account(tx, account_id, &message.recipient).await?;
        let row = NewRow {
            account_id,
            token_id: Some(token_id),
            message,
            batch: &batch,
            capped,
            held: held.as_deref().filter(|_| capped),
        };
        insert(tx, row, now).await?;
    }
    Ok(())
}

/// Queues a message to a user about their own sign-in (a factor added or removed, a
/// recovery code used) inside `tx`: about no token, so no token's cap applies.
pub async fn queue_to_user(
    tx: &mut Tx,
    account_id: i64,
    message: &Notice,
    now: i64,
) -> Result<(), AppError> {
    let batch = format!("account.{}", crate::ssr::random_base62(16));
    let row = NewRow {
        account_id,
        token_id: None,
        message,
        batch: &batch,
        capped: false,
        held: None,
    };
    insert(tx, row, now).await
}

/// A message about to be stored.
pub(super) struct NewRow<'a> {
    pub account_id: i64,
    /// The token it is about; `None`: about the recipient's own sign-in.
    pub token_id: Option<i64>,
    pub message: &'a Notice,
    /// The change or summary it belongs to.
    pub batch: &'a str,
    /// Whether the per-token cap applies to its recipient.
    pub capped: bool,
    /// `Some(why)` to store it `held` instead of `queued`.
    pub held: Option<&'a str>,
}

pub(super) async fn insert(tx: &mut Tx, row: NewRow<'_>, now: i64) -> Result<(), AppError> {
    if row.held.is_none() {
        tx.wake_outbox_on_commit();
    }
    query(
        "INSERT INTO notifications (account_id, token_id, recipient, subject, body, created_at,
                                    message_id, batch, capped, state, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(row.account_id)
    .bind(row.token_id)
    .bind(&row.message.recipient)
    .bind(&row.message.subject)
    .bind(&row.message.body)
    .bind(now)
    .bind(format!("notification.{}", crate::ssr::random_base62(24)))
    .bind(row.batch)
    .bind(row.capped)
    .bind(
        if row.held.is_some() {
            OutboxState::Held
        } else {
            OutboxState::Queued
        }
        .as_str(),
    )
    .bind(row.held)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A message as the detail page lists it.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxRow {
    pub recipient: String,
    pub subject: String,
    /// `queued`, `sending`, `sent`, `failed`, `expired`, `held`, `summarised` or `dropped`.
    pub state: String,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last delivery error, or why the message expired, was held or was not sent.
    pub last_error: Option<String>,
    /// When queued.
    pub created_at: i64,
    /// When delivered.
    pub sent_at: Option<i64>,
}

/// A token's messages, newest first.
pub async fn for_token(
    pool: &Db,
    token_id: i64,
    offset: u64,
    limit: u32,
) -> Result<Vec<OutboxRow>, AppError> {
    Ok(query(
        "SELECT recipient, subject, state, attempts, last_error, created_at, sent_at
         FROM notifications WHERE token_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(token_id)
    .bind(i64::from(limit))
    .bind(i64::try_from(offset).unwrap_or(i64::MAX))
    .fetch_all::<OutboxRow>(pool)
    .await?)
}

/// How many messages a token's outbox holds.
pub async fn count_for_token(pool: &Db, token_id: i64) -> Result<u64, AppError> {
    let count: i64 = query("SELECT COUNT(*) FROM notifications WHERE token_id = $1")
        .bind(token_id)
        .scalar(pool)
        .await?;
    Ok(count.max(0) as u64)
}

/// A message waiting for delivery.
#[derive(Debug, Clone, FromRow)]
pub struct DueRow {
    /// Key.
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// Attempts so far (claims included).
    pub attempts: i64,
    /// When queued.
    pub created_at: i64,
}

/// Up to `limit` messages to attempt now, oldest first: queued ones whose next attempt is
/// due, and ones still `sending` on a claim taken at or before `stale_before` (their worker
/// died before it could record the outcome).
pub async fn due(
    pool: &Db,
    now: i64,
    stale_before: i64,
    limit: i64,
) -> Result<Vec<DueRow>, AppError> {
    Ok(query(
        "SELECT id, recipient, subject, body, attempts, created_at FROM notifications
         WHERE (state = 'queued' AND next_attempt_at <= $1)
            OR (state = 'sending' AND claimed_at <= $2)
         ORDER BY id LIMIT $3",
    )
    .bind(now)
    .bind(stale_before)
    .bind(limit)
    .fetch_all::<DueRow>(pool)
    .await?)
}

/// What an attempt holds once it has claimed its message.
#[derive(Debug, Clone, FromRow)]
pub struct Claim {
    /// This attempt's number (1 for the first).
    pub attempts: i64,
    /// The `Message-ID` to send, the same on every attempt.
    pub message_id: String,
}

/// Claims message `id` for one attempt, if it is still due (as [`due`] defines it):
/// marks it `sending` at `now`, counts the attempt and, on the first one, completes its
/// Message-ID with `domain`. `None` when someone else took it or it is no longer due.
pub async fn claim(
    pool: &Db,
    id: i64,
    now: i64,
    stale_before: i64,
    domain: &str,
) -> Result<Option<Claim>, AppError> {
    Ok(query(
        "UPDATE notifications
         SET state = 'sending', claimed_at = $1, attempts = attempts + 1,
             message_id = CASE WHEN message_id LIKE '<%' THEN message_id
                               ELSE '<' || message_id || '@' || $2 || '>' END
         WHERE id = $3 AND ((state = 'queued' AND next_attempt_at <= $4)
                        OR (state = 'sending' AND claimed_at <= $5))
         RETURNING attempts, message_id",
    )
    .bind(now)
    .bind(domain)
    .bind(id)
    .bind(now)
    .bind(stale_before)
    .fetch_optional::<Claim>(pool)
    .await?)
}

/// Records a delivery made at `at`.
pub async fn mark_sent(pool: &Db, id: i64, at: i64) -> Result<(), AppError> {
    query("UPDATE notifications SET state = 'sent', sent_at = $1, last_error = NULL WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

/// Records a failed attempt (already counted by its claim): tried again at `retry_at`, or
/// given up on when `None`.
pub async fn mark_attempt_failed(
    pool: &Db,
    id: i64,
    error: &str,
    retry_at: Option<i64>,
) -> Result<(), AppError> {
    let (state, next) = match retry_at {
        Some(at) => (OutboxState::Queued, at),
        None => (OutboxState::Failed, 0),
    };
    query(
        "UPDATE notifications SET state = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4",
    )
    .bind(state.as_str())
    .bind(next)
    .bind(error)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Gives up on a never-attempted message as too old to send, saying why.
pub async fn mark_expired(pool: &Db, id: i64, reason: &str) -> Result<(), AppError> {
    query(
        "UPDATE notifications SET state = 'expired', last_error = $1
         WHERE id = $2 AND state = 'queued' AND attempts = 0",
    )
    .bind(reason)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

//! The outbox: messages to a token's contacts, queued in the change's transaction and
//! delivered later by the mail worker.

use crate::error::AppError;
use sqlx::{FromRow, Sqlite, SqlitePool, Transaction};

/// A message for one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

/// Queues `messages` about a token inside `tx`.
pub async fn queue(
    tx: &mut Transaction<'_, Sqlite>,
    account_id: i64,
    token_id: i64,
    messages: &[Notification],
    now: i64,
) -> Result<(), AppError> {
    for message in messages {
        sqlx::query(
            "INSERT INTO notifications (account_id, token_id, recipient, subject, body, created_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(account_id)
        .bind(token_id)
        .bind(&message.recipient)
        .bind(&message.subject)
        .bind(&message.body)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// A message as the detail page lists it.
#[derive(Debug, Clone, FromRow)]
pub struct OutboxRow {
    /// Recipient.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// `queued`, `sent` or `failed`.
    pub state: String,
    /// Delivery attempts so far.
    pub attempts: i64,
    /// The last delivery error.
    pub last_error: Option<String>,
    /// When queued.
    pub created_at: i64,
    /// When delivered.
    pub sent_at: Option<i64>,
}

/// A token's messages, newest first.
pub async fn for_token(pool: &SqlitePool, token_id: i64) -> Result<Vec<OutboxRow>, AppError> {
    Ok(sqlx::query_as::<_, OutboxRow>(
        "SELECT recipient, subject, state, attempts, last_error, created_at, sent_at
         FROM notifications WHERE token_id = ? ORDER BY id DESC LIMIT 200",
    )
    .bind(token_id)
    .fetch_all(pool)
    .await?)
}

/// A message waiting for delivery.
#[derive(Debug, Clone, FromRow)]
pub struct DueRow {
    /// Key.
    pub id: i64,
    /// Recipient.
    pub recipient: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Attempts so far.
    pub attempts: i64,
}

/// Up to `limit` queued messages whose next attempt is due, oldest first.
pub async fn due(pool: &SqlitePool, now: i64, limit: i64) -> Result<Vec<DueRow>, AppError> {
    Ok(sqlx::query_as::<_, DueRow>(
        "SELECT id, recipient, subject, body, attempts FROM notifications
         WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}

/// Records a delivery.
pub async fn mark_sent(pool: &SqlitePool, id: i64, now: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE notifications SET state = 'sent', sent_at = ?, attempts = attempts + 1,
                last_error = NULL WHERE id = ?",
    )
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// Records a failed attempt: tried again at `retry_at`, or given up on when `None`.
pub async fn mark_attempt_failed(
    pool: &SqlitePool,
    id: i64,
    error: &str,
    retry_at: Option<i64>,
) -> Result<(), AppError> {
    let (state, next) = match retry_at {
        Some(at) => ("queued", at),
        None => ("failed", 0),
    };
    sqlx::query(
        "UPDATE notifications SET state = ?, next_attempt_at = ?, attempts = attempts + 1,
                last_error = ? WHERE id = ?",
    )
    .bind(state)
    .bind(next)
    .bind(error)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

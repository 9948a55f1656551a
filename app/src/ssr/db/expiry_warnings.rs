//! Warnings to a token's contacts that it is about to expire: a week before and a day
//! before, each once. "Once" holds across restarts and instances: a warning is queued in
//! the same transaction that marks the token warned, and only by the transaction whose
//! mark went from empty to set.

use super::engine::{query, Db};
use super::outbox;
use super::webhooks::events;
use crate::domain::expiration::{format_instant, DAY};
use crate::domain::notice;
use crate::domain::webhook::WebhookEvent;
use crate::error::AppError;
use sqlx::FromRow;

/// Which warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warning {
    /// 7 days before.
    Week,
    /// 1 day before.
    Day,
}

impl Warning {
    fn lead(self) -> i64 {
        match self {
            Warning::Week => 7 * DAY,
            Warning::Day => DAY,
        }
    }

    fn column(self) -> &'static str {
        match self {
            Warning::Week => "warned_week_at",
            Warning::Day => "warned_day_at",
        }
    }
}

#[derive(FromRow)]
struct Due {
    id: i64,
}

#[derive(FromRow)]
struct Warned {
    account_id: i64,
    sid: String,
    name: String,
    expires_at: i64,
}

/// Queues every warning due at `now`; how many tokens were warned. A token that is
/// already within a day of its end gets only the day's warning (both are marked).
pub async fn queue_due(pool: &Db, now: i64) -> Result<usize, AppError> {
    let mut warned = 0;
    for warning in [Warning::Day, Warning::Week] {
        let due = query(format!(
            "SELECT id FROM tokens
             WHERE expires_at IS NOT NULL AND deleted_at IS NULL AND enabled = TRUE
                   AND expires_at > $1 AND expires_at <= $2 AND {} IS NULL
             ORDER BY expires_at LIMIT 500",
            warning.column()
        ))
        .bind(now)
        .bind(now + warning.lead())
        .fetch_all::<Due>(pool)
        .await?;
        for token in due {
            if warn(pool, token.id, warning, now).await? {
                warned += 1;
            }
        }
    }
    Ok(warned)
}

/// Marks and warns one token, unless someone else did first or it changed since the scan
/// (renewed, disabled); whether this call did.
async fn warn(pool: &Db, token_id: i64, warning: Warning, now: i64) -> Result<bool, AppError> {
    let mut tx = pool.begin_write().await?;
    // The day's warning marks the week's too: nobody gets "7 days" after "tomorrow".
    let marks = match warning {
        Warning::Day => "warned_day_at = $1, warned_week_at = COALESCE(warned_week_at, $1)",
        Warning::Week => "warned_week_at = $1",
    };
    let token = query(format!(
        "UPDATE tokens SET {marks}
         WHERE id = $2 AND {} IS NULL AND deleted_at IS NULL AND enabled = TRUE
               AND expires_at > $1 AND expires_at <= $3
         RETURNING account_id, sid, name, expires_at",
        warning.column()
    ))
    .bind(now)
    .bind(token_id)
    .bind(now + warning.lead())
    .fetch_optional::<Warned>(&mut tx)
    .await?;
    let Some(token) = token else {
        return Ok(false);
    };
    let recipients = super::token_changes::recipients(&mut tx, token_id).await?;
    let messages = notice::expiring(
        &token.name,
        &token.sid,
        &format_instant(token.expires_at),
        warning == Warning::Day,
        recipients,
    );
    outbox::queue(&mut tx, token.account_id, token_id, &messages, now).await?;
    let kind = WebhookEvent::TokenExpiring;
    events::queue_expiry(
        &mut tx,
        token.account_id,
        token_id,
        kind,
        token.expires_at,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Queues `token.expired` for each token that reached its expiration within the last
/// day and hasn't been announced (once, across restarts and instances: the mark and the
/// messages share a transaction); how many.
pub async fn announce_expired(pool: &Db, now: i64) -> Result<usize, AppError> {
    let due = query(
        "SELECT id FROM tokens
         WHERE expires_at IS NOT NULL AND expires_at <= $1 AND expires_at > $2
               AND expired_announced_at IS NULL AND deleted_at IS NULL
         ORDER BY expires_at LIMIT 500",
    )
    .bind(now)
    .bind(now - DAY)
    .fetch_all::<Due>(pool)
    .await?;
    let mut announced = 0;
    for token in due {
        let mut tx = pool.begin_write().await?;
        let marked = query(
            "UPDATE tokens SET expired_announced_at = $1
             WHERE id = $2 AND expired_announced_at IS NULL AND expires_at <= $1
             RETURNING account_id, sid, name, expires_at",
        )
        .bind(now)
        .bind(token.id)
        .fetch_optional::<Warned>(&mut tx)
        .await?;
        let Some(marked) = marked else {
            continue;
        };
        let kind = WebhookEvent::TokenExpired;
        events::queue_expiry(
            &mut tx,
            marked.account_id,
            token.id,
            kind,
            marked.expires_at,
            now,
        )
        .await?;
        tx.commit().await?;
        announced += 1;
    }
    Ok(announced)
}

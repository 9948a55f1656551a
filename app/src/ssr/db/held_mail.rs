//! The cap on mail to addresses outside the account: per token, at most
//! [`DEVELOPER_MESSAGES_PER_HOUR`] changes an hour reach its developer emails. Messages of
//! further changes are `held`; once the hour has room again, each address that is still a
//! contact of the token gets one summary of what it missed, and held messages to addresses
//! that are no longer contacts are `dropped`.
//!
//! The cap counts changes (batches), not addresses, so replacing the developer emails
//! between changes doesn't buy new messages.

use super::engine::{query, Db, Tx};
use super::outbox::{insert, NewRow};
use super::token_detail;
use crate::domain::DEVELOPER_MESSAGES_PER_HOUR;
use crate::error::AppError;
use crate::ssr::display_time;
use crate::ssr::notify;
use sqlx::FromRow;
use std::collections::{BTreeMap, BTreeSet};

/// The lock [`summarise`] holds (any number, the same on every instance).
const SUMMARY_LOCK: i64 = 0x746f_6b65_6e01;

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
async fn recent_batches(tx: &mut Tx, token_id: i64, now: i64) -> Result<i64, AppError> {
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

/// A held message.
#[derive(FromRow)]
struct Held {
    id: i64,
    recipient: String,
    subject: String,
    created_at: i64,
}

/// What [`summarise`] did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summarised {
    /// Summary messages queued.
    pub summaries: usize,
    /// Held messages they cover.
    pub covered: usize,
    /// Held messages dropped: their address is no longer a contact.
    pub dropped: usize,
}

/// Queues one summary per address and token whose cap has room again at `now`.
pub async fn summarise(pool: &Db, now: i64) -> Result<Summarised, AppError> {
    let mut tx = pool.begin_write().await?;
    // Two instances' mail workers never summarise the same held messages twice.
    tx.serialize(SUMMARY_LOCK).await?;
    let tokens: Vec<i64> = query(
        "SELECT DISTINCT token_id FROM notifications
         WHERE state = 'held' AND token_id IS NOT NULL",
    )
    .scalars(&mut tx)
    .await?;
    let mut done = Summarised::default();
    for token_id in tokens {
        if recent_batches(&mut tx, token_id, now).await? < DEVELOPER_MESSAGES_PER_HOUR {
            summarise_token(&mut tx, token_id, now, &mut done).await?;
        }
    }
    tx.commit().await?;
    Ok(done)
}

async fn summarise_token(
    tx: &mut Tx,
    token_id: i64,
    now: i64,
    done: &mut Summarised,
) -> Result<(), AppError> {
    let (account_id, name, sid): (i64, String, String) =
        query("SELECT account_id, name, sid FROM tokens WHERE id = $1")
            .bind(token_id)
            .fetch_one(&mut *tx)
            .await?;
    let contacts: BTreeSet<String> = token_detail::developer_emails(&mut *tx, token_id)
        .await?
        .iter()
        .map(|e| e.to_lowercase())
        .collect();
    let held: Vec<Held> = query(
        "SELECT id, recipient, subject, created_at FROM notifications
         WHERE token_id = $1 AND state = 'held' ORDER BY id",
    )
    .bind(token_id)
    .fetch_all(&mut *tx)
    .await?;
    let mut by_address: BTreeMap<String, Vec<Held>> = BTreeMap::new();
    for message in held {
        by_address
            .entry(message.recipient.to_lowercase())
            .or_default()
            .push(message);
    }
    let batch = format!("summary.{}", crate::ssr::random_base62(16));
    for (address, messages) in by_address {
        let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
        if !contacts.contains(&address) {
            let why = "the address is no longer a developer email of this token";
            mark(tx, &ids, "dropped", why).await?;
            done.dropped += ids.len();
            continue;
        }
        let lines: Vec<(String, String)> = messages
            .iter()
            .map(|m| (display_time(m.created_at), m.subject.clone()))
            .collect();
        let summary = notify::summary(&name, &sid, &messages[0].recipient, &lines);
        let row = NewRow {
            account_id,
            token_id,
            message: &summary,
            batch: &batch,
            capped: true,
            held: None,
        };
        insert(tx, row, now).await?;
        let why = format!(
            "included in one summary message queued {}",
            display_time(now)
        );
        mark(tx, &ids, "summarised", &why).await?;
        done.summaries += 1;
        done.covered += ids.len();
    }
    Ok(())
}

/// Moves held messages `ids` to `state`, saying why.
async fn mark(tx: &mut Tx, ids: &[i64], state: &str, why: &str) -> Result<(), AppError> {
    for id in ids {
        query(
            "UPDATE notifications SET state = $1, last_error = $2 WHERE id = $3 AND state = 'held'",
        )
        .bind(state)
        .bind(why)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

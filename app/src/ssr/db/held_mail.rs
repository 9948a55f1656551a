//! Mail the cap held back ([`super::mail_cap`]): once the hour has room again, each
//! address that is still a contact of the token gets one summary of what it missed, and
//! held messages to addresses that are no longer contacts are `dropped`.

use super::engine::{query, Db, Tx};
use super::mail_cap::recent_batches;
use super::outbox::{insert, NewRow};
use super::token_detail;
use crate::domain::notice;
use crate::domain::{OutboxState, DEVELOPER_MESSAGES_PER_HOUR};
use crate::error::AppError;
use crate::ssr::display_time;
use sqlx::FromRow;
use std::collections::{BTreeMap, BTreeSet};

/// The lock [`summarise`] holds (any number, the same on every instance).
const SUMMARY_LOCK: i64 = 0x746f_6b65_6e01;

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
    let by_address = held_by_address(tx, token_id).await?;
    let batch = format!("summary.{}", crate::ssr::random_base62(16));
    for (address, messages) in by_address {
        let ids: Vec<i64> = messages.iter().map(|m| m.id).collect();
        if !contacts.contains(&address) {
            let why = "the address is no longer a developer email of this token";
            mark(tx, &ids, OutboxState::Dropped, why).await?;
            done.dropped += ids.len();
            continue;
        }
        let lines: Vec<(String, String)> = messages
            .iter()
            .map(|m| (display_time(m.created_at), m.subject.clone()))
            .collect();
        let summary = notice::summary(&name, &sid, &messages[0].recipient, &lines);
        let row = NewRow {
            account_id,
            token_id: Some(token_id),
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
        mark(tx, &ids, OutboxState::Summarised, &why).await?;
        done.summaries += 1;
        done.covered += ids.len();
    }
    Ok(())
}

/// The token's held messages, by recipient (lowercased), oldest first.
async fn held_by_address(
    tx: &mut Tx,
    token_id: i64,
) -> Result<BTreeMap<String, Vec<Held>>, AppError> {
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
    Ok(by_address)
}

/// Moves held messages `ids` to `state`, saying why.
async fn mark(tx: &mut Tx, ids: &[i64], state: OutboxState, why: &str) -> Result<(), AppError> {
    for id in ids {
        query(
            "UPDATE notifications SET state = $1, last_error = $2 WHERE id = $3 AND state = 'held'",
        )
        .bind(state.as_str())
        .bind(why)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

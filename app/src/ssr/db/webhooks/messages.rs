//! The webhook outbox: one message per event and endpoint, queued in the event's
//! transaction and delivered by the webhook worker.
//!
//! Per endpoint, only the oldest waiting message is attempted (events arrive in order, one
//! at a time), and an attempt first claims it (`sending` until `claim_until`), under the
//! endpoint's row lock, so no two attempts at one endpoint run at once on any instance. A
//! worker that dies mid-attempt leaves a claim that lapses after [`CLAIM_SECS`]; the message
//! is then sent again with the same `webhook-id`.

use super::super::engine::{query, Db, Tx};
use super::super::outbox;
use crate::domain::audit::AuditAction;
use crate::domain::webhook::{gives_up, retry_delay, GIVE_UP_AFTER};
use crate::domain::Notice;
use crate::error::AppError;
use sqlx::FromRow;

/// How long an attempt's claim holds (well over the 10 s an attempt may take).
pub const CLAIM_SECS: i64 = 30;

/// Up to `limit` messages to attempt at `now`: each enabled endpoint's oldest waiting
/// message, when it is due (queued and its time has come, or a lapsed claim).
pub async fn due(pool: &Db, now: i64, limit: i64) -> Result<Vec<i64>, AppError> {
    Ok(query(
        "SELECT m.id FROM webhook_messages m
         JOIN webhook_endpoints e ON e.id = m.endpoint_id AND e.enabled = TRUE
         WHERE m.id = (SELECT MIN(w.id) FROM webhook_messages w
                       WHERE w.endpoint_id = m.endpoint_id AND w.state IN ('queued', 'sending'))
           AND ((m.state = 'queued' AND m.next_attempt_at <= $1)
             OR (m.state = 'sending' AND m.claim_until <= $1))
         ORDER BY m.id LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .scalars::<i64>(pool)
    .await?)
}

/// A message claimed for one attempt, with what sending it needs.
#[derive(Debug, Clone, FromRow)]
pub struct Claimed {
    pub id: i64,
    pub endpoint_id: i64,
    pub account_id: i64,
    pub webhook_id: String,
    pub payload: String,
    pub created_at: i64,
    /// This attempt's number (1 for the first).
    pub attempts: i64,
    pub url: String,
    pub secret: String,
    /// The rotated-out secret while it still signs.
    pub old_secret: Option<String>,
}

/// Claims message `id` for one attempt at `now`, if its endpoint is enabled, no other
/// attempt at that endpoint holds a live claim, and it is still due. `None` otherwise.
pub async fn claim(pool: &Db, id: i64, now: i64) -> Result<Option<Claimed>, AppError> {
    let mut tx = pool.begin_write().await?;
    // The endpoint's row lock: claims at one endpoint are taken one after another.
    let endpoint: Option<i64> = query(
        "UPDATE webhook_endpoints SET id = id
         WHERE enabled = TRUE AND id = (SELECT endpoint_id FROM webhook_messages WHERE id = $1)
         RETURNING id",
    )
    .bind(id)
    .scalar_optional(&mut tx)
    .await?;
    let Some(endpoint) = endpoint else {
        return Ok(None);
    };
    let busy: i64 = query(
        "SELECT COUNT(*) FROM webhook_messages
         WHERE endpoint_id = $1 AND id <> $2 AND state = 'sending' AND claim_until > $3",
    )
    .bind(endpoint)
    .bind(id)
    .bind(now)
    .scalar(&mut tx)
    .await?;
    if busy > 0 {
        return Ok(None);
    }
    let claimed: Option<i64> = query(
        "UPDATE webhook_messages
         SET state = 'sending', claim_until = $1, attempts = attempts + 1
         WHERE id = $2 AND ((state = 'queued' AND next_attempt_at <= $3)
                         OR (state = 'sending' AND claim_until <= $3))
         RETURNING id",
    )
    .bind(now + CLAIM_SECS)
    .bind(id)
    .bind(now)
    .scalar_optional(&mut tx)
    .await?;
    if claimed.is_none() {
        return Ok(None);
    }
    let claim = query(
        "SELECT m.id, m.endpoint_id, e.account_id, m.webhook_id, m.payload, m.created_at,
                m.attempts, e.url, e.secret,
                CASE WHEN e.old_secret_until > $2 THEN e.old_secret END AS old_secret
         FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id
         WHERE m.id = $1",
    )
    .bind(id)
    .bind(now)
    .fetch_optional::<Claimed>(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(claim)
}

/// One attempt's outcome.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// When it began.
    pub at: i64,
    /// The answer's status; `None`: no answer (refused, unreachable, timed out).
    pub status: Option<u16>,
    pub latency_ms: i64,
    /// The answer's first bytes, or why there was none.
    pub response: String,
    /// Whether it counts as delivered (a 2xx answer).
    pub delivered: bool,
}

/// What became of a message after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    Delivered,
    /// Tried again at this time.
    Retry(i64),
    /// Given up on after 3 days.
    GaveUp,
    /// Another attempt took it meanwhile (this one's claim had lapsed).
    Lost,
}

/// Records `attempt` of `claimed` at `now`; `jitter` (0 to 1) spreads the next retry. An
/// endpoint failing for [`GIVE_UP_AFTER`] is disabled, audited, and its owner mailed;
/// whether that happened is the second value.
pub async fn record(
    pool: &Db,
    claimed: &Claimed,
    attempt: &Attempt,
    now: i64,
    jitter: f64,
) -> Result<(Recorded, bool), AppError> {
    let mut tx = pool.begin_write().await?;
    let (state, next, outcome) = if attempt.delivered {
        ("delivered", 0, Recorded::Delivered)
    } else if gives_up(claimed.created_at, now) {
        ("failed", 0, Recorded::GaveUp)
    } else {
        let at = now + retry_delay(claimed.attempts, jitter);
        ("queued", at, Recorded::Retry(at))
    };
    let mine: Option<i64> = query(
        "UPDATE webhook_messages
         SET state = $1, next_attempt_at = $2, claim_until = NULL,
             delivered_at = $3
         WHERE id = $4 AND state = 'sending' AND attempts = $5 RETURNING id",
    )
    .bind(state)
    .bind(next)
    .bind(attempt.delivered.then_some(now))
    .bind(claimed.id)
    .bind(claimed.attempts)
    .scalar_optional(&mut tx)
    .await?;
    query(
        "INSERT INTO webhook_attempts (message_id, attempted_at, status, latency_ms, response)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(claimed.id)
    .bind(attempt.at)
    .bind(attempt.status.map(i64::from))
    .bind(attempt.latency_ms)
    .bind(&attempt.response)
    .execute(&mut tx)
    .await?;
    if mine.is_none() {
        tx.commit().await?;
        return Ok((Recorded::Lost, false));
    }
    let disabled = if attempt.delivered {
        query("UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1")
            .bind(claimed.endpoint_id)
            .execute(&mut tx)
            .await?;
        false
    } else {
        note_failure(&mut tx, claimed, attempt.at, now).await?
    };
    tx.commit().await?;
    Ok((outcome, disabled))
}

/// Counts a failure at `at` against the endpoint; disables it if it has been failing for
/// [`GIVE_UP_AFTER`]. Whether it did.
async fn note_failure(tx: &mut Tx, claimed: &Claimed, at: i64, now: i64) -> Result<bool, AppError> {
    let since: i64 = query(
        "UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, $1)
         WHERE id = $2 RETURNING failing_since",
    )
    .bind(at)
    .bind(claimed.endpoint_id)
    .scalar(&mut *tx)
    .await?;
    if now - since < GIVE_UP_AFTER {
        return Ok(false);
    }
    #[derive(FromRow)]
    struct Owner {
        email: Option<String>,
    }
    let reason = "Failing for 3 days: every attempt since was refused or went unanswered.";
    let owner = query(
        "UPDATE webhook_endpoints SET enabled = FALSE, disabled_reason = $1
         WHERE id = $2 AND enabled = TRUE
         RETURNING (SELECT email FROM users WHERE id = created_by AND disabled_at IS NULL) AS email",
    )
    .bind(reason)
    .bind(claimed.endpoint_id)
    .fetch_optional::<Owner>(&mut *tx)
    .await?;
    let Some(owner) = owner else {
        return Ok(false);
    };
    let mut detail = super::about(claimed.endpoint_id, &claimed.url);
    detail.facts.push(("Why".to_string(), reason.to_string()));
    let event = super::super::audit::AuditEvent {
        account_id: claimed.account_id,
        token_id: None,
        actor_id: None,
        action: AuditAction::WebhookDisabled,
        detail: &detail,
        at: now,
    };
    super::super::audit::record(tx, event).await?;
    if let Some(email) = owner.email {
        let notice = Notice {
            recipient: email,
            subject: "Tokensmith: webhook endpoint disabled after 3 days of failures".into(),
            body: format!(
                "The webhook endpoint {} failed every delivery for 3 days, so it was disabled.\n\n\
                 Its undelivered events wait for it: fix the endpoint, then enable it again on \
                 its page under Settings → API → Webhooks.\n",
                super::origin(&claimed.url)
            ),
        };
        outbox::queue_to_user(tx, claimed.account_id, &notice, now).await?;
    }
    Ok(true)
}

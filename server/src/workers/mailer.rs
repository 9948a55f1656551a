//! Delivers the contacts' outbox over SMTP: a background worker that wakes when a change
//! queues messages (and every few seconds for retries), sends what is due, and marks each
//! message sent, failed once it has used up its attempts, or expired when it was too old
//! to send by its first attempt.
//!
//! A running worker never sends a message twice: every attempt first claims its row
//! (`sending`, one more attempt), then sends, then records `sent`. When that record fails,
//! the worker keeps the id and records it again before it sends anything else. Only if the
//! process dies between sending and recording is the message sent again, once its claim is
//! [`CLAIM_TIMEOUT`] old, and with the same `Message-ID`, so the receiver can drop the copy.

use crate::telemetry::outcomes::MailOutcome;
use app::ssr::db::Db;
use app::ssr::db::{held_mail, outbox};
use app::ssr::now;
use app::ssr::state::Outbox;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::sync::watch;

mod settings;
use settings::{explain, REDACTED};
pub use settings::{redact_url, MailSettings, DEFAULT_MAX_AGE};

/// A message is tried this many times before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;
/// Seconds after which a message still `sending` is taken for one whose worker died
/// mid-attempt, and is attempted again.
pub const CLAIM_TIMEOUT: i64 = 600;
/// How many due messages one pass sends.
const BATCH: i64 = 50;
/// Sends messages through one SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The server's host, named when its certificate is refused.
    host: String,
    /// [`MailSettings::max_age`] in seconds.
    max_age: i64,
    /// Kept only to scrub it from error text.
    password: Option<String>,
    /// Delivered messages whose `sent` could not be recorded yet: id → when sent.
    unrecorded: Mutex<BTreeMap<i64, i64>>,
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Delivered.
    pub sent: usize,
    /// Failed this time (retried later or given up on).
    pub failed: usize,
    /// Too old to send at their first attempt.
    pub expired: usize,
}

/// What became of one due message.
enum Outcome {
    Sent,
    Failed,
    Expired,
    /// Claimed by someone else in the meantime.
    Skipped,
}

impl Mailer {
    /// A mailer for `settings`.
    pub fn new(settings: &MailSettings) -> Self {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
                .port(settings.port)
                .tls(settings.tls())
                .timeout(Some(Duration::from_secs(15)));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Self {
            transport: builder.build(),
            from: settings.from.clone(),
            host: settings.host.clone(),
            max_age: i64::try_from(settings.max_age.as_secs()).unwrap_or(i64::MAX),
            password: settings.credentials.as_ref().map(|(_, p)| p.clone()),
            unrecorded: Mutex::default(),
        }
    }

    /// Summarises held mail whose token has room again, then sends every message due at
    /// `now`, recording each outcome.
    pub async fn deliver_due(&self, pool: &Db, now: i64) -> Result<Pass, String> {
        self.deliver_due_until(pool, now, &watch::channel(false).1)
            .await
    }

    /// As [`Self::deliver_due`], but starts no new message once `shutdown` is true.
    ///
    /// First records the deliveries earlier passes could not; while any of them still
    /// can't be recorded, nothing new is sent and the pass is an error. A delivery that
    /// can't be recorded ends the pass the same way.
    pub async fn deliver_due_until(
        &self,
        pool: &Db,
        now: i64,
        shutdown: &watch::Receiver<bool>,
    ) -> Result<Pass, String> {
        self.record_unrecorded(pool).await?;
        let summarised = held_mail::summarise(pool, now)
            .await
            .map_err(|e| e.to_string())?;
        if summarised.summaries > 0 || summarised.dropped > 0 {
            tracing::info!(?summarised, "held mail summarised");
        }
        let due = outbox::due(pool, now, now - CLAIM_TIMEOUT, BATCH)
            .await
            .map_err(|e| e.to_string())?;
        let mut pass = Pass::default();
        for message in due {
            if stopping(shutdown) {
                break;
            }
            let (count, outcome) = match self.attempt(pool, &message, now).await? {
                Outcome::Sent => (&mut pass.sent, MailOutcome::Sent),
                Outcome::Failed => (&mut pass.failed, MailOutcome::Failed),
                Outcome::Expired => (&mut pass.expired, MailOutcome::Expired),
                Outcome::Skipped => continue,
            };
            *count += 1;
            crate::telemetry::prometheus::mail(outcome);
        }
        Ok(pass)
    }

    /// Expires, gives up on, or claims and sends one due message.
    async fn attempt(
        &self,
        pool: &Db,
        message: &outbox::DueRow,
        now: i64,
    ) -> Result<Outcome, String> {
        let age = now - message.created_at;
        if message.attempts == 0 && age > self.max_age {
            let reason = format!(
                "queued {} before a mail server could deliver it",
                describe_age(age)
            );
            outbox::mark_expired(pool, message.id, &reason)
                .await
                .map_err(|e| e.to_string())?;
            return Ok(Outcome::Expired);
        }
        if message.attempts >= MAX_ATTEMPTS {
            // Only a claim left behind by a worker that died mid-attempt gets here.
            let error = "interrupted while sending; it may have been delivered";
            outbox::mark_attempt_failed(pool, message.id, error, None)
                .await
                .map_err(|e| e.to_string())?;
            return Ok(Outcome::Failed);
        }
        let domain = self.from.email.domain();
        let claim = outbox::claim(pool, message.id, now, now - CLAIM_TIMEOUT, domain)
            .await
            .map_err(|e| e.to_string())?;
        let Some(claim) = claim else {
            return Ok(Outcome::Skipped);
        };
        match self.send(message, &claim.message_id).await {
            Ok(()) => self
                .record_sent(pool, message.id, now)
                .await
                .map(|()| Outcome::Sent),
            Err(error) => {
                self.record_failure(pool, message.id, claim.attempts, &error, now)
                    .await?;
                Ok(Outcome::Failed)
            }
        }
    }

    /// Builds and sends one message under `message_id`.
    async fn send(&self, message: &outbox::DueRow, message_id: &str) -> Result<(), String> {
        let email = self.build(message, message_id)?;
        self.transport
            .send(email)
            .await
            .map(drop)
            .map_err(|e| self.scrub(&explain(&e.to_string(), &self.host)))
    }

    /// Records a delivery; if that fails, keeps the id to record later (never to resend).
    async fn record_sent(&self, pool: &Db, id: i64, at: i64) -> Result<(), String> {
        if let Err(error) = outbox::mark_sent(pool, id, at).await {
            self.unrecorded().insert(id, at);
            return Err(format!(
                "message {id} was delivered but could not be recorded as sent ({error}); \
                 it will be recorded later, not sent again"
            ));
        }
        Ok(())
    }

    /// Records attempt `attempts` as failed with `error`: retried later, or given up on.
    async fn record_failure(
        &self,
        pool: &Db,
        id: i64,
        attempts: i64,
        error: &str,
        now: i64,
    ) -> Result<(), String> {
        let retry_at = (attempts < MAX_ATTEMPTS).then(|| now + retry_delay(attempts));
        tracing::warn!(id, attempts, %error, "mail not delivered");
        outbox::mark_attempt_failed(pool, id, error, retry_at)
            .await
            .map_err(|e| e.to_string())
    }

    /// Records the deliveries earlier passes could not; an error while any is left.
    async fn record_unrecorded(&self, pool: &Db) -> Result<(), String> {
        let waiting: Vec<(i64, i64)> = self.unrecorded().iter().map(|(k, v)| (*k, *v)).collect();
        for (id, at) in waiting {
            outbox::mark_sent(pool, id, at).await.map_err(|error| {
                format!(
                    "delivered messages {:?} are still not recorded as sent ({error}); \
                     nothing more is sent until they are",
                    self.unrecorded().keys().collect::<Vec<_>>()
                )
            })?;
            self.unrecorded().remove(&id);
        }
        Ok(())
    }

    fn unrecorded(&self) -> MutexGuard<'_, BTreeMap<i64, i64>> {
        self.unrecorded
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// `text` with the SMTP password, if any, as `***`.
    fn scrub(&self, text: &str) -> String {
        match &self.password {
            Some(password) if !password.is_empty() => text.replace(password.as_str(), REDACTED),
            _ => text.to_string(),
        }
    }

    fn build(&self, message: &outbox::DueRow, message_id: &str) -> Result<Message, String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|_| format!("{:?} is not a deliverable address", message.recipient))?;
        Message::builder()
            .message_id(Some(message_id.to_string()))
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.clone())
            .body(message.body.clone())
            .map_err(|e| e.to_string())
    }
}

/// Seconds to wait before attempt `attempts + 1`: 30 s, 1 min, 2 min, 4 min.
pub fn retry_delay(attempts: i64) -> i64 {
    30 << (attempts - 1).clamp(0, 10)
}

/// An age in words: "25 hours", "3 days", "1 minute".
fn describe_age(seconds: i64) -> String {
    let (count, unit) = match seconds {
        s if s >= 2 * 86_400 => (s / 86_400, "day"),
        s if s >= 2 * 3600 => (s / 3600, "hour"),
        s => (s / 60, "minute"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural}")
}

/// Whether the worker has been told to stop.
fn stopping(shutdown: &watch::Receiver<bool>) -> bool {
    *shutdown.borrow()
}

/// Resolves once `shutdown` is true; never, if its sender is gone without saying so.
async fn stop_requested(shutdown: &mut watch::Receiver<bool>) {
    if shutdown.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// How often the worker looks for due mail (retries) when nothing wakes it.
pub const POLL: Duration = Duration::from_secs(5);

/// Runs the worker until the process ends, looking for due mail every `poll` and whenever
/// a change wakes it.
pub fn spawn_polling(
    pool: Db,
    mailer: Mailer,
    outbox: Outbox,
    poll: Duration,
) -> tokio::task::JoinHandle<()> {
    let (never, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        run(pool, mailer, outbox, shutdown, poll).await;
        drop(never);
    })
}

/// Runs the worker until `shutdown` turns true: it then finishes and records the message
/// it is sending (if any), starts no other, and returns.
pub fn spawn_until(
    pool: Db,
    mailer: Mailer,
    outbox: Outbox,
    shutdown: watch::Receiver<bool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(run(pool, mailer, outbox, shutdown, POLL))
}

/// Delivers the outbox until `shutdown` turns true, looking for due mail every `poll` and
/// whenever a change wakes it; then records the message it was sending and returns.
pub async fn run(
    pool: Db,
    mailer: Mailer,
    outbox: Outbox,
    mut shutdown: watch::Receiver<bool>,
    poll: Duration,
) {
    while !stopping(&shutdown) {
        outbox.beat(Some(now()));
        run_pass(&mailer, &pool, &shutdown).await;
        outbox.beat(Some(now()));
        tokio::select! {
            _ = pool.mail_queued() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = stop_requested(&mut shutdown) => {}
        }
    }
    outbox.beat(None);
    if let Err(error) = mailer.record_unrecorded(&pool).await {
        tracing::error!(%error, "outbox worker stopped; these may be sent again later");
    }
    tracing::info!("outbox worker stopped");
}

/// One pass of the worker, logged.
async fn run_pass(mailer: &Mailer, pool: &Db, shutdown: &watch::Receiver<bool>) {
    match mailer.deliver_due_until(pool, now(), shutdown).await {
        Ok(pass) if pass != Pass::default() => tracing::info!(
            sent = pass.sent,
            failed = pass.failed,
            expired = pass.expired,
            "outbox pass"
        ),
        Ok(_) => {}
        Err(error) => tracing::error!(%error, "outbox pass failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_the_password_from_transport_errors() {
        let settings =
            MailSettings::parse("smtp://bot:s3cret@mail.acme.test", "ops@acme.test").unwrap();
        let mailer = Mailer::new(&settings);
        assert_eq!(
            mailer.scrub("535 bad credentials bot:s3cret"),
            "535 bad credentials bot:***"
        );
    }

    #[test]
    fn retries_back_off() {
        assert_eq!(
            (1..=4).map(retry_delay).collect::<Vec<_>>(),
            [30, 60, 120, 240]
        );
    }

    #[test]
    fn describes_ages() {
        assert_eq!(describe_age(60), "1 minute");
        assert_eq!(describe_age(90 * 60), "90 minutes");
        assert_eq!(describe_age(25 * 3600 + 5), "25 hours");
        assert_eq!(describe_age(3 * 86_400 + 7200), "3 days");
    }
}

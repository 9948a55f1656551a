//! Delivers the contacts' outbox over SMTP: a background worker that wakes when a change
//! queues messages (and every few seconds for retries), sends what is due, and marks each
//! message sent, or failed once it has used up its attempts.

use app::ssr::db::outbox;
use app::ssr::now;
use app::ssr::state::Outbox;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::SqlitePool;
use std::time::Duration;

/// A message is tried this many times before it is marked failed.
pub const MAX_ATTEMPTS: i64 = 5;
/// How many due messages one pass sends.
const BATCH: i64 = 50;

/// Where and as whom to send, from `TOKENSMITH_SMTP_URL` and `TOKENSMITH_MAIL_FROM`.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// SMTP host.
    pub host: String,
    /// SMTP port (25 unless the URL says otherwise).
    pub port: u16,
    /// `user:password` from the URL, if any.
    pub credentials: Option<(String, String)>,
    /// The `From` address.
    pub from: Mailbox,
}

impl MailSettings {
    /// Reads `smtp://[user:password@]host[:port]`; anything else is an error naming it.
    pub fn parse(url: &str, from: &str) -> Result<Self, String> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            format!(
                "TOKENSMITH_SMTP_URL={url:?} should look like smtp://host:port or \
                 smtp://user:password@host:port (TLS is not built in: point it at a local relay)"
            )
        })?;
        let rest = rest.trim_end_matches('/');
        let (credentials, address) = match rest.rsplit_once('@') {
            Some((user_pass, address)) => {
                let (user, pass) = user_pass.split_once(':').unwrap_or((user_pass, ""));
                (Some((user.to_string(), pass.to_string())), address)
            }
            None => (None, rest),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse()
                    .map_err(|_| format!("TOKENSMITH_SMTP_URL: {port:?} is not a port number"))?,
            ),
            None => (address, 25),
        };
        if host.is_empty() {
            return Err("TOKENSMITH_SMTP_URL names no host".to_string());
        }
        let from = from
            .parse()
            .map_err(|_| format!("TOKENSMITH_MAIL_FROM={from:?} is not an email address"))?;
        Ok(Self {
            host: host.to_string(),
            port,
            credentials,
            from,
        })
    }
}

/// Sends messages through one SMTP server.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Delivered.
    pub sent: usize,
    /// Failed this time (retried later or given up on).
    pub failed: usize,
}

impl Mailer {
    /// A mailer for `settings`.
    pub fn new(settings: &MailSettings) -> Self {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
                .port(settings.port)
                .timeout(Some(Duration::from_secs(15)));
        if let Some((user, password)) = &settings.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
        }
        Self {
            transport: builder.build(),
            from: settings.from.clone(),
        }
    }

    /// Sends every message due at `now`, recording each outcome.
    pub async fn deliver_due(&self, pool: &SqlitePool, now: i64) -> Result<Pass, String> {
        let due = outbox::due(pool, now, BATCH)
            .await
            .map_err(|e| e.to_string())?;
        let mut pass = Pass::default();
        for message in due {
            let outcome = match self.build(&message) {
                Ok(email) => self
                    .transport
                    .send(email)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string()),
                Err(error) => Err(error),
            };
            let recorded = match outcome {
                Ok(()) => {
                    pass.sent += 1;
                    outbox::mark_sent(pool, message.id, now).await
                }
                Err(error) => {
                    pass.failed += 1;
                    let attempts = message.attempts + 1;
                    let retry_at = (attempts < MAX_ATTEMPTS).then(|| now + retry_delay(attempts));
                    tracing::warn!(id = message.id, attempts, %error, "mail not delivered");
                    outbox::mark_attempt_failed(pool, message.id, &error, retry_at).await
                }
            };
            recorded.map_err(|e| e.to_string())?;
        }
        Ok(pass)
    }

    fn build(&self, message: &outbox::DueRow) -> Result<Message, String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|_| format!("{:?} is not a deliverable address", message.recipient))?;
        Message::builder()
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

/// Runs the worker until the process ends.
pub fn spawn(pool: SqlitePool, mailer: Mailer, outbox: Outbox) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match mailer.deliver_due(&pool, now()).await {
                Ok(pass) if pass != Pass::default() => {
                    tracing::info!(sent = pass.sent, failed = pass.failed, "outbox pass");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(%error, "outbox pass failed"),
            }
            tokio::select! {
                _ = outbox.woken() => {}
                _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_smtp_urls() {
        let plain = MailSettings::parse("smtp://127.0.0.1:2525", "ops@acme.test").unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("127.0.0.1", 2525));
        assert!(plain.credentials.is_none());
        let auth =
            MailSettings::parse("smtp://bot:s3cret@mail.acme.test", "ops@acme.test").unwrap();
        assert_eq!(auth.port, 25);
        assert_eq!(auth.credentials, Some(("bot".into(), "s3cret".into())));
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        assert!(MailSettings::parse("smtps://mail.acme.test", "ops@acme.test").is_err());
        assert!(MailSettings::parse("smtp://:25", "ops@acme.test").is_err());
        assert!(MailSettings::parse("smtp://host:port", "ops@acme.test").is_err());
        assert!(MailSettings::parse("smtp://host", "not an address").is_err());
    }

    #[test]
    fn retries_back_off() {
        assert_eq!(
            (1..=4).map(retry_delay).collect::<Vec<_>>(),
            [30, 60, 120, 240]
        );
    }
}

//! Where and as whom the outbox is delivered: `TOKENSMITH_SMTP_URL` and
//! `TOKENSMITH_MAIL_FROM`, read without ever showing the URL's password.

use super::DEFAULT_MAX_AGE;
use lettre::message::Mailbox;
use std::fmt;
use std::time::Duration;

/// What stands for a password in anything shown or logged.
pub(super) const REDACTED: &str = "***";

/// Where and as whom to send, from `TOKENSMITH_SMTP_URL` and `TOKENSMITH_MAIL_FROM`.
/// Its `Debug` never shows the password.
#[derive(Clone)]
pub struct MailSettings {
    /// SMTP host.
    pub host: String,
    /// SMTP port (25 unless the URL says otherwise).
    pub port: u16,
    /// `user:password` from the URL, if any.
    pub credentials: Option<(String, String)>,
    /// The `From` address.
    pub from: Mailbox,
    /// Messages older than this at their first attempt are expired, not sent
    /// ([`DEFAULT_MAX_AGE`] unless set with [`Self::with_max_age`]).
    pub max_age: Duration,
}

impl fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let credentials = self
            .credentials
            .as_ref()
            .map(|(user, _)| (user.as_str(), REDACTED));
        f.debug_struct("MailSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("credentials", &credentials)
            .field("from", &self.from.to_string())
            .field("max_age", &self.max_age)
            .finish()
    }
}

impl MailSettings {
    /// Reads `smtp://[user:password@]host[:port]`; anything else is an error naming it
    /// (with any `user:password` shown as `***`).
    pub fn parse(url: &str, from: &str) -> Result<Self, String> {
        let rest = url.strip_prefix("smtp://").ok_or_else(|| {
            format!(
                "TOKENSMITH_SMTP_URL={:?} should look like smtp://host:port or \
                 smtp://user:password@host:port (TLS is not built in: point it at a local relay)",
                redact_url(url)
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
        let (host, port) = split_port(address)?;
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
            max_age: DEFAULT_MAX_AGE,
        })
    }

    /// The same settings, expiring messages older than `max_age` at their first attempt.
    pub fn with_max_age(self, max_age: Duration) -> Self {
        Self { max_age, ..self }
    }
}

/// `host[:port]`, port 25 when none is given. The error doesn't repeat the port: in
/// `smtp://user:password` (the `@host` forgotten) it would be the password.
fn split_port(address: &str) -> Result<(&str, u16), String> {
    match address.rsplit_once(':') {
        Some((host, port)) => port.parse().map(|port| (host, port)).map_err(|_| {
            format!("TOKENSMITH_SMTP_URL: the port after host {host:?} is not a port number")
        }),
        None => Ok((address, 25)),
    }
}

/// `url` with everything between `://` and the last `@` (the user and password) as `***`.
pub fn redact_url(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    match url[start..].rfind('@') {
        Some(at) => format!("{}{REDACTED}{}", &url[..start], &url[start + at..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_smtp_urls() {
        let plain = MailSettings::parse("smtp://127.0.0.1:2525", "ops@acme.test").unwrap();
        assert_eq!((plain.host.as_str(), plain.port), ("127.0.0.1", 2525));
        assert!(plain.credentials.is_none());
        assert_eq!(plain.max_age, DEFAULT_MAX_AGE);
        let auth =
            MailSettings::parse("smtp://bot:s3cret@mail.acme.test", "ops@acme.test").unwrap();
        assert_eq!(auth.port, 25);
        assert_eq!(auth.credentials, Some(("bot".into(), "s3cret".into())));
        let short = auth.with_max_age(Duration::from_secs(3600));
        assert_eq!(short.max_age, Duration::from_secs(3600));
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        assert!(MailSettings::parse("smtps://mail.acme.test", "ops@acme.test").is_err());
        assert!(MailSettings::parse("smtp://:25", "ops@acme.test").is_err());
        assert!(MailSettings::parse("smtp://host:port", "ops@acme.test").is_err());
        assert!(MailSettings::parse("smtp://host", "not an address").is_err());
    }

    #[test]
    fn debug_never_shows_the_password() {
        let settings =
            MailSettings::parse("smtp://bot:s3cret@mail.acme.test:2525", "ops@acme.test").unwrap();
        let shown = format!("{settings:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("\"bot\"") && shown.contains("***"),
            "{shown}"
        );
        assert!(
            shown.contains("mail.acme.test") && shown.contains("2525"),
            "{shown}"
        );
    }

    #[test]
    fn errors_never_show_the_password() {
        for url in [
            "smtps://bot:s3cret@mail.acme.test",
            "bot:s3cret@mail.acme.test",
            "smtp://bot:s3cret@:25",
            "smtp://bot:s3cret@mail.acme.test:port",
            "smtp://bot:s3cret",
            "smtp://bot:s3cret@mail.acme.test",
        ] {
            let from = if url == "smtp://bot:s3cret@mail.acme.test" {
                "nope"
            } else {
                "ops@acme.test"
            };
            let error = MailSettings::parse(url, from).unwrap_err();
            assert!(!error.contains("s3cret"), "{url}: {error}");
        }
        let error = MailSettings::parse("smtps://bot:s3cret@mail.acme.test", "a@b.test");
        assert!(error.unwrap_err().contains("smtps://***@mail.acme.test"));
    }

    #[test]
    fn redacts_user_and_password() {
        assert_eq!(
            redact_url("smtp://bot:s3cret@host:25"),
            "smtp://***@host:25"
        );
        assert_eq!(redact_url("smtp://b@t:s3@cret@host"), "smtp://***@host");
        assert_eq!(redact_url("bot:s3cret@host"), "***@host");
        assert_eq!(redact_url("smtp://host:25"), "smtp://host:25");
    }
}

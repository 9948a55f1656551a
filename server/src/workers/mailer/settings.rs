//! Where, how and as whom the outbox is delivered: `TOKENSMITH_SMTP_URL`,
//! `TOKENSMITH_MAIL_FROM` and `TOKENSMITH_SMTP_CA_FILE`, read without ever showing the
//! URL's password.

use lettre::message::Mailbox;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use std::fmt;
use std::time::Duration;

/// Messages older than this at their first attempt are expired instead of sent.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(24 * 3600);

/// What stands for a password in anything shown or logged.
pub(super) const REDACTED: &str = "***";

/// How the connection to the mail server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// `smtps://`: TLS from the first byte (port 465 by default).
    Implicit,
    /// `smtp://`: plain at first, then STARTTLS, which the server must offer: without it
    /// nothing is sent.
    StartTls,
    /// `smtp://…?tls=none`: no TLS at all, for a relay on the same host or network.
    None,
}

/// Where and as whom to send, from `TOKENSMITH_SMTP_URL` and `TOKENSMITH_MAIL_FROM`.
/// Its `Debug` never shows the password.
#[derive(Clone)]
pub struct MailSettings {
    /// SMTP host, also the name the server's certificate must carry.
    pub host: String,
    /// SMTP port (465 for `smtps://`, else 25, unless the URL says otherwise).
    pub port: u16,
    /// TLS from the start, STARTTLS, or none.
    pub security: Security,
    /// `user:password` from the URL, if any.
    pub credentials: Option<(String, String)>,
    /// The `From` address.
    pub from: Mailbox,
    /// Messages older than this at their first attempt are expired, not sent
    /// ([`DEFAULT_MAX_AGE`] unless set with [`Self::with_max_age`]).
    pub max_age: Duration,
    /// Certificates trusted besides the system's (`TOKENSMITH_SMTP_CA_FILE`).
    extra_roots: Vec<Certificate>,
    /// What lettre is given, built from the fields above.
    tls: Tls,
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
            .field("security", &self.security)
            .field("credentials", &credentials)
            .field("from", &self.from.to_string())
            .field("max_age", &self.max_age)
            .field("extra_roots", &self.extra_roots.len())
            .finish()
    }
}

impl MailSettings {
    /// Reads `smtp://[user:password@]host[:port][?tls=none]` or
    /// `smtps://[user:password@]host[:port]`; anything else is an error naming it (with
    /// any `user:password` shown as `***`).
    pub fn parse(url: &str, from: &str) -> Result<Self, String> {
        let (security, rest) = security_of(url)?;
        let rest = rest.trim_end_matches('/');
        let (credentials, address) = match rest.rsplit_once('@') {
            Some((user_pass, address)) => {
                let (user, pass) = user_pass.split_once(':').unwrap_or((user_pass, ""));
                (Some((user.to_string(), pass.to_string())), address)
            }
            None => (None, rest),
        };
        let password = credentials.as_ref().is_some_and(|(_, p)| !p.is_empty());
        if password && security == Security::None {
            return Err(format!(
                "TOKENSMITH_SMTP_URL={:?}: a password is never sent without TLS; drop \
                 user:password for ?tls=none, or use smtps:// or smtp:// (STARTTLS)",
                redact_url(url)
            ));
        }
        let default_port = if security == Security::Implicit {
            465
        } else {
            25
        };
        let (host, port) = split_port(address, default_port)?;
        if host.is_empty() {
            return Err("TOKENSMITH_SMTP_URL names no host".to_string());
        }
        let from = from
            .parse()
            .map_err(|_| format!("TOKENSMITH_MAIL_FROM={from:?} is not an email address"))?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let tls = build_tls(&host, security, &[])?;
        Ok(Self {
            host,
            port,
            security,
            credentials,
            from,
            max_age: DEFAULT_MAX_AGE,
            extra_roots: Vec::new(),
            tls,
        })
    }

    /// The same settings, expiring messages older than `max_age` at their first attempt.
    pub fn with_max_age(self, max_age: Duration) -> Self {
        Self { max_age, ..self }
    }

    /// The same settings, also trusting the certificates in `pem` (a private CA's, or a
    /// self-signed server's), read from `source` (named in errors).
    pub fn trusting(mut self, pem: &[u8], source: &str) -> Result<Self, String> {
        let unreadable =
            || format!("{source} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        if !String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----") {
            return Err(unreadable());
        }
        let certificate = Certificate::from_pem(pem).map_err(|_| unreadable())?;
        self.extra_roots.push(certificate);
        self.tls = build_tls(&self.host, self.security, &self.extra_roots)?;
        Ok(self)
    }

    /// The TLS lettre uses: none, or the system's certificates plus [`Self::trusting`]'s,
    /// checked against [`Self::host`].
    pub fn tls(&self) -> Tls {
        self.tls.clone()
    }
}

/// `error` from lettre, with what to do about it when it is about TLS.
pub(super) fn explain(error: &str, host: &str) -> String {
    if error.contains("invalid peer certificate") {
        format!(
            "{error} (the mail server's certificate must name {host} and come from an \
             authority this machine trusts, or from one in TOKENSMITH_SMTP_CA_FILE)"
        )
    } else if error.contains("STARTTLS is not supported") {
        format!(
            "{error} (smtp:// requires STARTTLS: use smtps:// for a server that speaks TLS \
             from the start, or add ?tls=none for a relay that needs no TLS)"
        )
    } else {
        error.to_string()
    }
}

/// See [`MailSettings::tls`].
fn build_tls(host: &str, security: Security, roots: &[Certificate]) -> Result<Tls, String> {
    if security == Security::None {
        return Ok(Tls::None);
    }
    let parameters = roots
        .iter()
        .fold(TlsParameters::builder(host.to_string()), |builder, root| {
            builder.add_root_certificate(root.clone())
        })
        .build_rustls()
        .map_err(|e| format!("TLS for the mail server can't be set up: {e}"))?;
    Ok(match security {
        Security::Implicit => Tls::Wrapper(parameters),
        _ => Tls::Required(parameters),
    })
}

/// The transport security `url` asks for, and the rest of it after the scheme and
/// before any query.
fn security_of(url: &str) -> Result<(Security, &str), String> {
    let (security, rest) = if let Some(rest) = url.strip_prefix("smtps://") {
        (Security::Implicit, rest)
    } else if let Some(rest) = url.strip_prefix("smtp://") {
        (Security::StartTls, rest)
    } else {
        return Err(format!(
            "TOKENSMITH_SMTP_URL={:?} should look like smtps://user:password@host:465 \
             (TLS), smtp://user:password@host:587 (STARTTLS) or smtp://host:25?tls=none \
             (a local relay, no TLS)",
            redact_url(url)
        ));
    };
    let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
    let security = match (security, query) {
        (security, "" | "tls=required") => security,
        (Security::StartTls, "tls=none") => Security::None,
        _ => {
            return Err(format!(
                "TOKENSMITH_SMTP_URL: {query:?} is not understood; the one option is \
                 ?tls=none on smtp:// (no TLS, for a local relay)"
            ))
        }
    };
    Ok((security, rest))
}

/// `host[:port]`, `default` when no port is given. The error doesn't repeat the port: in
/// `smtp://user:password` (the `@host` forgotten) it would be the password.
fn split_port(address: &str, default: u16) -> Result<(&str, u16), String> {
    if address.ends_with(']') {
        return Ok((address, default));
    }
    match address.rsplit_once(':') {
        Some((host, port)) => port.parse().map(|port| (host, port)).map_err(|_| {
            format!("TOKENSMITH_SMTP_URL: the port after host {host:?} is not a port number")
        }),
        None => Ok((address, default)),
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
    fn reads_how_to_protect_the_connection() {
        let read = |url| {
            let settings = MailSettings::parse(url, "ops@acme.test").unwrap();
            (settings.security, settings.port)
        };
        assert_eq!(read("smtps://mail.acme.test"), (Security::Implicit, 465));
        assert_eq!(
            read("smtps://mail.acme.test:2465"),
            (Security::Implicit, 2465)
        );
        assert_eq!(read("smtp://mail.acme.test:587"), (Security::StartTls, 587));
        assert_eq!(
            read("smtp://mail.acme.test?tls=required"),
            (Security::StartTls, 25)
        );
        assert_eq!(
            read("smtp://127.0.0.1:2525?tls=none"),
            (Security::None, 2525)
        );
        assert_eq!(read("smtp://[::1]:2525?tls=none"), (Security::None, 2525));
        let v6 = MailSettings::parse("smtps://[::1]", "ops@acme.test").unwrap();
        assert_eq!((v6.host.as_str(), v6.port), ("::1", 465));
        assert!(matches!(v6.tls(), Tls::Wrapper(_)));
        assert!(matches!(
            MailSettings::parse("smtp://mail.acme.test", "a@b.test")
                .unwrap()
                .tls(),
            Tls::Required(_)
        ));
        // TLS can't be turned off on smtps://, and no other option exists.
        for url in [
            "smtps://mail.acme.test?tls=none",
            "smtp://mail.acme.test?tls=opportunistic",
            "smtp://mail.acme.test?starttls=off",
        ] {
            let error = MailSettings::parse(url, "ops@acme.test").unwrap_err();
            assert!(error.contains("?tls=none"), "{url}: {error}");
        }
    }

    #[test]
    fn trusts_a_pem_certificate_and_nothing_else() {
        let settings = MailSettings::parse("smtps://mail.acme.test", "ops@acme.test").unwrap();
        let error = settings
            .clone()
            .trusting(b"not a certificate", "ca.pem")
            .unwrap_err();
        assert!(error.contains("ca.pem holds no PEM certificate"), "{error}");
        let garbled = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert!(settings.trusting(garbled, "ca.pem").is_err());
    }

    #[test]
    fn refuses_what_it_cannot_use() {
        assert!(MailSettings::parse("imap://mail.acme.test", "ops@acme.test").is_err());
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
            "imap://bot:s3cret@mail.acme.test",
            "bot:s3cret@mail.acme.test",
            "smtp://bot:s3cret@mail.acme.test?tls=off",
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
        let error = MailSettings::parse("imap://bot:s3cret@mail.acme.test", "a@b.test");
        assert!(error.unwrap_err().contains("imap://***@mail.acme.test"));
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

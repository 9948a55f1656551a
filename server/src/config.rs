//! Configuration from the environment, with the defaults the README documents.

use crate::brand_api::Limits;
use crate::http::client_address::TrustedProxies;
use crate::http::serve::ServeLimits;
use crate::workers::mailer::MailSettings;
use app::ssr::sign_in_guard::SignInLimits;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::time::Duration;

pub mod public_url;
pub mod quota_journal;
mod scanning_keys;
mod session_windows;

pub use session_windows::{idle_secs_from, sudo_secs_from, IDLE_MINUTES_VAR, SUDO_MINUTES_VAR};

/// Everything the server reads from its environment.
#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`, default `sqlite://data/tokensmith.db`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`, default `127.0.0.1:3000`.
    pub site_addr: SocketAddr,
    /// `LEPTOS_SITE_ROOT`, default `target/site`: where the built wasm, JS and CSS are.
    pub site_root: String,
    /// `TOKENSMITH_SECURE_COOKIES=1` marks the session cookie `Secure` even when the
    /// request did not arrive through an https proxy.
    pub secure_cookies: bool,
    /// `TOKENSMITH_REQUEST_TIMEOUT_SECS`, default 30: a request unanswered by then gets
    /// 408, and a response body still streaming then is cut.
    pub request_timeout: Duration,
    /// `TOKENSMITH_HEADER_TIMEOUT_SECS` (default 10), `TOKENSMITH_MAX_CONNECTIONS` (1024)
    /// and `TOKENSMITH_SHUTDOWN_GRACE_SECS` (10).
    pub serve: ServeLimits,
    /// `TOKENSMITH_SMTP_URL` (with `TOKENSMITH_MAIL_FROM` and `TOKENSMITH_SMTP_CA_FILE`):
    /// where and how the outbox is delivered; unset, messages stay in the outbox.
    pub mail: Option<MailSettings>,
    /// `TOKENSMITH_INTROSPECTION_KEY`: the bearer key introspection callers send; unset,
    /// introspection is off.
    pub introspection_key: Option<String>,
    /// `TOKENSMITH_AUTH_FAILURE_LIMIT` and `TOKENSMITH_INTROSPECTION_LIMIT`, per minute.
    pub limits: Limits,
    /// `TOKENSMITH_SIGN_IN_ACCOUNT_LIMIT` (10) and `TOKENSMITH_SIGN_IN_ADDRESS_LIMIT` (30):
    /// failed sign-ins per 15 minutes.
    pub sign_in: SignInLimits,
    /// `TOKENSMITH_TRUSTED_PROXIES`: ranges whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// `TOKENSMITH_METRICS_ADDR`: where `GET /metrics` answers (a private address);
    /// unset, nothing is counted.
    pub metrics_addr: Option<SocketAddr>,
    /// `TOKENSMITH_USAGE_FLUSH_SECS`, default 60: how often token usage counted in memory
    /// is written (a crash loses at most this long of counts).
    pub usage_flush: Duration,
    /// `TOKENSMITH_LAST_USED_FLUSH_SECS`, default 1: how often tokens' "last used" times
    /// noted in memory are written (and at a graceful stop).
    pub last_used_flush: Duration,
    /// `TOKENSMITH_SESSION_IDLE_MINUTES`, default 30: how long a session may go unused
    /// before it ends, in seconds.
    pub session_idle_secs: i64,
    /// `TOKENSMITH_SUDO_MINUTES`, default 15: how long a password or code given at sign-in
    /// or **Confirm access** lets sensitive changes through, in seconds.
    pub sudo_secs: i64,
    /// `TOKENSMITH_SECRET_SCANNING_KEYS`: the file of GitHub's secret-scanning public keys;
    /// unset, `POST /secret-scanning/github` refuses every report.
    pub scanning_keys: std::sync::Arc<crate::brand_api::scanning_keys::ScanningKeys>,
    /// `TOKENSMITH_PUBLIC_URL`: passkeys' relying party; `None`: passkeys are off.
    pub passkeys: Option<std::sync::Arc<app::ssr::webauthn::RelyingParty>>,
    /// `TOKENSMITH_QUOTA_JOURNAL`: where quota leases' spending is recorded; `None`: off.
    pub quota_journal: Option<std::path::PathBuf>,
    /// `TOKENSMITH_WEBHOOK_ALLOW_PRIVATE`: private addresses and ranges webhooks may reach
    /// (and only there over plain http); unset, public addresses only.
    pub webhook_reach: app::domain::webhook_address::Reach,
}

/// The most a request body may hold.
pub const BODY_LIMIT: usize = 64 * 1024;

impl Config {
    /// Reads the environment; an unusable value is an error naming the variable.
    pub fn from_env() -> Result<Self, String> {
        let addr = text("LEPTOS_SITE_ADDR", "127.0.0.1:3000");
        let site_addr = addr.parse().map_err(|_| {
            format!("LEPTOS_SITE_ADDR={addr:?} is not an address like 127.0.0.1:3000")
        })?;
        Ok(Self {
            introspection_key: introspection_key(
                std::env::var("TOKENSMITH_INTROSPECTION_KEY").ok(),
            )?,
            limits: api_limits()?,
            mail: mail()?,
            database_url: text("DATABASE_URL", "sqlite://data/tokensmith.db"),
            site_addr,
            site_root: text("LEPTOS_SITE_ROOT", "target/site"),
            secure_cookies: secure_cookies()?,
            request_timeout: seconds("TOKENSMITH_REQUEST_TIMEOUT_SECS", Duration::from_secs(30))?,
            serve: serve_limits()?,
            sign_in: sign_in_limits()?,
            trusted_proxies: TrustedProxies::parse(&text("TOKENSMITH_TRUSTED_PROXIES", ""))?,
            usage_flush: seconds("TOKENSMITH_USAGE_FLUSH_SECS", Duration::from_secs(60))?,
            last_used_flush: seconds("TOKENSMITH_LAST_USED_FLUSH_SECS", Duration::from_secs(1))?,
            metrics_addr: metrics_addr()?,
            session_idle_secs: idle_secs_from(std::env::var(IDLE_MINUTES_VAR).ok().as_deref())?,
            sudo_secs: sudo_secs_from(std::env::var(SUDO_MINUTES_VAR).ok().as_deref())?,
            passkeys: public_url::relying_party(
                std::env::var(public_url::PUBLIC_URL_VAR).ok().as_deref(),
                site_addr,
            )?,
            scanning_keys: std::sync::Arc::new(scanning_keys::scanning_keys()?),
            quota_journal: quota_journal::quota_journal(
                std::env::var(quota_journal::QUOTA_JOURNAL_VAR)
                    .ok()
                    .as_deref(),
                site_addr,
            )?,
            webhook_reach: app::domain::webhook_address::Reach::parse(&text(
                "TOKENSMITH_WEBHOOK_ALLOW_PRIVATE",
                "",
            ))
            .map_err(|e| format!("TOKENSMITH_WEBHOOK_ALLOW_PRIVATE: {e}"))?,
        })
    }

    /// The Leptos options matching what `cargo leptos build` produces.
    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("tokensmith")
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.site_addr)
            .build()
    }
}

/// The variable `name`, or `default` when unset.
fn text(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

/// Whole seconds above 0 from the variable `name`, or `default` when unset.
fn seconds(name: &str, default: Duration) -> Result<Duration, String> {
    positive(name, default.as_secs()).map(Duration::from_secs)
}

/// `TOKENSMITH_SECURE_COOKIES`: 1 or 0 (true or false), default 0.
fn secure_cookies() -> Result<bool, String> {
    match text("TOKENSMITH_SECURE_COOKIES", "0").as_str() {
        "1" | "true" => Ok(true),
        "0" | "false" | "" => Ok(false),
        other => Err(format!(
            "TOKENSMITH_SECURE_COOKIES={other:?} should be 1 or 0"
        )),
    }
}

/// `TOKENSMITH_SMTP_URL` with `TOKENSMITH_MAIL_FROM`, `TOKENSMITH_MAIL_MAX_AGE_HOURS` and
/// `TOKENSMITH_SMTP_CA_FILE`; none without the URL.
fn mail() -> Result<Option<MailSettings>, String> {
    let max_age = positive(
        "TOKENSMITH_MAIL_MAX_AGE_HOURS",
        crate::workers::mailer::DEFAULT_MAX_AGE.as_secs() / 3600,
    )?;
    let mail = match std::env::var("TOKENSMITH_SMTP_URL") {
        Ok(url) if !url.trim().is_empty() => MailSettings::parse(
            url.trim(),
            &text("TOKENSMITH_MAIL_FROM", "Tokensmith <tokensmith@localhost>"),
        )?
        .with_max_age(Duration::from_secs(max_age * 3600)),
        _ => return Ok(None),
    };
    match std::env::var("TOKENSMITH_SMTP_CA_FILE") {
        Ok(path) if !path.trim().is_empty() => {
            let pem = std::fs::read(path.trim())
                .map_err(|e| format!("TOKENSMITH_SMTP_CA_FILE={path:?} can't be read: {e}"))?;
            Ok(Some(mail.trusting(
                &pem,
                &format!("TOKENSMITH_SMTP_CA_FILE={path:?}"),
            )?))
        }
        _ => Ok(Some(mail)),
    }
}

/// `TOKENSMITH_HEADER_TIMEOUT_SECS`, `TOKENSMITH_MAX_CONNECTIONS`,
/// `TOKENSMITH_MAX_CONNECTIONS_PER_ADDRESS` and `TOKENSMITH_SHUTDOWN_GRACE_SECS`.
fn serve_limits() -> Result<ServeLimits, String> {
    let defaults = ServeLimits::default();
    Ok(ServeLimits {
        header_timeout: seconds("TOKENSMITH_HEADER_TIMEOUT_SECS", defaults.header_timeout)?,
        max_connections: positive("TOKENSMITH_MAX_CONNECTIONS", defaults.max_connections)?,
        max_per_address: positive(
            "TOKENSMITH_MAX_CONNECTIONS_PER_ADDRESS",
            defaults.max_per_address,
        )?,
        shutdown_grace: seconds("TOKENSMITH_SHUTDOWN_GRACE_SECS", defaults.shutdown_grace)?,
    })
}

/// `TOKENSMITH_SIGN_IN_ACCOUNT_LIMIT` and `TOKENSMITH_SIGN_IN_ADDRESS_LIMIT`.
fn sign_in_limits() -> Result<SignInLimits, String> {
    let defaults = SignInLimits::default();
    Ok(SignInLimits {
        per_account: positive("TOKENSMITH_SIGN_IN_ACCOUNT_LIMIT", defaults.per_account)?,
        per_address: positive("TOKENSMITH_SIGN_IN_ADDRESS_LIMIT", defaults.per_address)?,
        ..defaults
    })
}

/// `TOKENSMITH_AUTH_FAILURE_LIMIT`, `TOKENSMITH_INTROSPECTION_LIMIT`,
/// `TOKENSMITH_REVOCATION_LIMIT` and `TOKENSMITH_REPORT_LIMIT`, per minute.
fn api_limits() -> Result<Limits, String> {
    let defaults = Limits::default();
    Ok(Limits {
        auth_failures_per_minute: positive(
            "TOKENSMITH_AUTH_FAILURE_LIMIT",
            defaults.auth_failures_per_minute,
        )?,
        introspections_per_minute: positive(
            "TOKENSMITH_INTROSPECTION_LIMIT",
            defaults.introspections_per_minute,
        )?,
        revocations_per_minute: positive(
            "TOKENSMITH_REVOCATION_LIMIT",
            defaults.revocations_per_minute,
        )?,
        reports_per_minute: positive("TOKENSMITH_REPORT_LIMIT", defaults.reports_per_minute)?,
    })
}

/// `TOKENSMITH_METRICS_ADDR`; unset or blank, none.
fn metrics_addr() -> Result<Option<SocketAddr>, String> {
    match std::env::var("TOKENSMITH_METRICS_ADDR") {
        Ok(addr) if !addr.trim().is_empty() => addr.trim().parse().map(Some).map_err(|_| {
            format!("TOKENSMITH_METRICS_ADDR={addr:?} is not an address like 127.0.0.1:9090")
        }),
        _ => Ok(None),
    }
}

/// How log lines are written (`TOKENSMITH_LOG_FORMAT`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Plain text, coloured only on a terminal (the default).
    Text,
    /// One JSON object per line.
    Json,
}

/// `TOKENSMITH_LOG_FORMAT`: text (the default) or json. Read before the rest, so that a
/// configuration error is itself logged as the operator asked.
pub fn log_format() -> Result<LogFormat, String> {
    match std::env::var("TOKENSMITH_LOG_FORMAT").as_deref() {
        Ok("json") => Ok(LogFormat::Json),
        Ok("text" | "") | Err(_) => Ok(LogFormat::Text),
        Ok(other) => Err(format!(
            "TOKENSMITH_LOG_FORMAT={other:?} should be text or json"
        )),
    }
}

/// `TOKENSMITH_PASSWORD`: the password `create-user` and `reset-password` set; unset, they
/// generate one and print it once.
pub fn operator_password() -> Option<String> {
    std::env::var("TOKENSMITH_PASSWORD").ok()
}

/// `TOKENSMITH_DEMO_PASSWORD`: the demo users' password `seed-demo` sets; unset, their
/// passwords are kept (or generated for new users).
pub fn demo_password() -> Option<String> {
    std::env::var("TOKENSMITH_DEMO_PASSWORD").ok()
}

/// A whole number above 0 from the environment variable `name`, or `default` when unset.
fn positive<T: std::str::FromStr + PartialOrd + Default>(
    name: &str,
    default: T,
) -> Result<T, String> {
    match std::env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .ok()
            .filter(|n| *n > T::default())
            .ok_or_else(|| format!("{name}={text:?} should be a whole number above 0")),
        Err(_) => Ok(default),
    }
}

/// Everything but the secrets: the introspection key and the mail server's password
/// never reach a log through `{:?}`.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mail = self
            .mail
            .as_ref()
            .map(|m| format!("{}:{} ({:?})", m.host, m.port, m.security));
        f.debug_struct("Config")
            .field(
                "database_url",
                &crate::workers::mailer::redact_url(&self.database_url),
            )
            .field("site_addr", &self.site_addr)
            .field("site_root", &self.site_root)
            .field("secure_cookies", &self.secure_cookies)
            .field("request_timeout", &self.request_timeout)
            .field("serve", &self.serve)
            .field("mail", &mail)
            .field(
                "introspection_key",
                &self.introspection_key.as_ref().map(|_| "[redacted]"),
            )
            .field("limits", &self.limits)
            .field("sign_in", &self.sign_in)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("usage_flush", &self.usage_flush)
            .field("last_used_flush", &self.last_used_flush)
            .field("metrics_addr", &self.metrics_addr)
            .field("session_idle_secs", &self.session_idle_secs)
            .field("sudo_secs", &self.sudo_secs)
            .field("quota_journal", &self.quota_journal)
            .field("webhook_reach", &self.webhook_reach)
            .field(
                "passkeys",
                &self
                    .passkeys
                    .as_ref()
                    .map(|party| party.origin().to_string()),
            )
            .finish()
    }
}

/// `TOKENSMITH_INTROSPECTION_KEY` as callers can send it: an HTTP header's value never
/// carries surrounding whitespace, so a key written with some (a file's final line break)
/// would never match; it is trimmed. Unset or blank: introspection is off.
fn introspection_key(raw: Option<String>) -> Result<Option<String>, String> {
    let Some(key) = raw
        .map(|key| key.trim().to_string())
        .filter(|key| !key.is_empty())
    else {
        return Ok(None);
    };
    if key.len() < 16 {
        return Err("TOKENSMITH_INTROSPECTION_KEY should be at least 16 characters".into());
    }
    Ok(Some(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_introspection_key_is_read_without_surrounding_whitespace() {
        let key = "0123456789abcdef-key";
        for raw in [key.to_string(), format!(" {key}\n"), format!("\t{key}\r\n")] {
            assert_eq!(introspection_key(Some(raw)), Ok(Some(key.to_string())));
        }
        assert_eq!(introspection_key(None), Ok(None));
        assert_eq!(introspection_key(Some(" \n".into())), Ok(None));
        assert!(introspection_key(Some(" short-key-12 \n".into())).is_err());
    }

    #[test]
    fn debug_leaves_out_the_secrets() {
        let config = Config {
            database_url: "sqlite://data/t.db".into(),
            site_addr: "127.0.0.1:3000".parse().unwrap(),
            site_root: "target/site".into(),
            secure_cookies: false,
            request_timeout: Duration::from_secs(30),
            serve: ServeLimits::default(),
            mail: Some(
                MailSettings::parse("smtp://bot:hunter2-smtp@mail.test:2525", "ops@acme.test")
                    .unwrap(),
            ),
            introspection_key: Some("introspection-secret-0123456789".into()),
            limits: Limits::default(),
            sign_in: SignInLimits::default(),
            trusted_proxies: TrustedProxies::default(),
            usage_flush: Duration::from_secs(60),
            last_used_flush: Duration::from_secs(1),
            metrics_addr: None,
            session_idle_secs: 30 * 60,
            sudo_secs: 15 * 60,
            passkeys: None,
            scanning_keys: Default::default(),
            quota_journal: None,
            webhook_reach: Default::default(),
        };
        let printed = format!("{config:?}");
        assert!(printed.contains("mail.test:2525"), "{printed}");
        assert!(!printed.contains("hunter2-smtp"), "{printed}");
        assert!(!printed.contains("introspection-secret"), "{printed}");
    }
}

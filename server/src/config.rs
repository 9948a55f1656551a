//! Configuration from the environment, with the defaults the README documents.

use crate::brand_api::Limits;
use crate::mailer::MailSettings;
use leptos::config::LeptosOptions;
use std::net::SocketAddr;
use std::time::Duration;

/// Everything the server reads from its environment.
#[derive(Debug, Clone)]
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
    /// How long one request may take before it is answered 408.
    pub request_timeout: Duration,
    /// `TOKENSMITH_SMTP_URL` (with `TOKENSMITH_MAIL_FROM`): where the outbox is
    /// delivered; unset, messages stay in the outbox.
    pub mail: Option<MailSettings>,
    /// `TOKENSMITH_INTROSPECTION_KEY`: the bearer key introspection callers send; unset,
    /// introspection is off.
    pub introspection_key: Option<String>,
    /// `TOKENSMITH_AUTH_FAILURE_LIMIT` and `TOKENSMITH_INTROSPECTION_LIMIT`, per minute.
    pub limits: Limits,
}

/// The most a request body may hold.
pub const BODY_LIMIT: usize = 64 * 1024;

impl Config {
    /// Reads the environment; an unusable value is an error naming the variable.
    pub fn from_env() -> Result<Self, String> {
        let var =
            |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_string());
        let addr = var("LEPTOS_SITE_ADDR", "127.0.0.1:3000");
        let site_addr = addr.parse().map_err(|_| {
            format!("LEPTOS_SITE_ADDR={addr:?} is not an address like 127.0.0.1:3000")
        })?;
        let secure = var("TOKENSMITH_SECURE_COOKIES", "0");
        let secure_cookies = match secure.as_str() {
            "1" | "true" => true,
            "0" | "false" | "" => false,
            other => {
                return Err(format!(
                    "TOKENSMITH_SECURE_COOKIES={other:?} should be 1 or 0"
                ))
            }
        };
        let mail = match std::env::var("TOKENSMITH_SMTP_URL") {
            Ok(url) if !url.trim().is_empty() => Some(MailSettings::parse(
                url.trim(),
                &var("TOKENSMITH_MAIL_FROM", "Tokensmith <tokensmith@localhost>"),
            )?),
            _ => None,
        };
        let introspection_key = std::env::var("TOKENSMITH_INTROSPECTION_KEY")
            .ok()
            .filter(|key| !key.trim().is_empty());
        if introspection_key
            .as_ref()
            .is_some_and(|key| key.trim().len() < 16)
        {
            return Err("TOKENSMITH_INTROSPECTION_KEY should be at least 16 characters".into());
        }
        let defaults = Limits::default();
        let limit = |name: &str, default: u32| -> Result<u32, String> {
            match std::env::var(name) {
                Ok(text) => text
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{name}={text:?} should be a whole number above 0")),
                Err(_) => Ok(default),
            }
        };
        let limits = Limits {
            auth_failures_per_minute: limit(
                "TOKENSMITH_AUTH_FAILURE_LIMIT",
                defaults.auth_failures_per_minute,
            )?,
            introspections_per_minute: limit(
                "TOKENSMITH_INTROSPECTION_LIMIT",
                defaults.introspections_per_minute,
            )?,
        };
        Ok(Self {
            introspection_key: introspection_key.map(|key| key.trim().to_string()),
            limits,
            mail,
            database_url: var("DATABASE_URL", "sqlite://data/tokensmith.db"),
            site_addr,
            site_root: var("LEPTOS_SITE_ROOT", "target/site"),
            secure_cookies,
            request_timeout: Duration::from_secs(30),
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

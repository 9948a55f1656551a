//! The state every route and server function shares.

use crate::error::AppError;
use crate::ssr::db::Db;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use std::sync::Arc;

/// Shared by the router and, through context, by server functions.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Where the site's files are and how they are named.
    pub leptos_options: LeptosOptions,
    /// The one connection pool.
    pub pool: Db,
    /// Mark the session cookie `Secure` on every response (set when served over https).
    pub secure_cookies: bool,
    /// The contacts' outbox and whether anything delivers it.
    pub outbox: Outbox,
    /// Limits on guessing passwords.
    pub sign_in: crate::ssr::sign_in_guard::SignInGuard,
    /// The **API reference** page's content, read from the server's OpenAPI document.
    pub api_reference: Arc<crate::domain::api_reference::ApiReference>,
    /// Passkeys' relying party, at `TOKENSMITH_PUBLIC_URL`; `None`: passkeys are off.
    pub passkeys: Option<Arc<crate::ssr::webauthn::RelyingParty>>,
    /// The private ranges webhooks may reach (`TOKENSMITH_WEBHOOK_ALLOW_PRIVATE`).
    pub webhook_reach: crate::domain::webhook_address::Reach,
}

/// Whether the contacts' outbox is delivered, and whether its worker is alive. (A commit
/// that queues mail wakes the worker itself: [`crate::ssr::db::Tx::wake_outbox_on_commit`].)
#[derive(Clone, Default)]
pub struct Outbox {
    mail_configured: bool,
    /// When the delivering worker last went round its loop (Unix seconds; 0: not running).
    heartbeat: Arc<std::sync::atomic::AtomicI64>,
}

impl Outbox {
    /// `mail_configured`: a mail server is set, and a worker is delivering.
    pub fn new(mail_configured: bool) -> Self {
        Self {
            mail_configured,
            heartbeat: Arc::default(),
        }
    }

    /// The worker is alive at `now` (called each time round its loop, at least every few
    /// seconds); `None`: it has stopped.
    pub fn beat(&self, now: Option<i64>) {
        self.heartbeat
            .store(now.unwrap_or(0), std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether a worker is delivering: it went round its loop within `within` seconds of
    /// `now`.
    pub fn worker_alive(&self, now: i64, within: i64) -> bool {
        let last = self.heartbeat.load(std::sync::atomic::Ordering::Relaxed);
        last > 0 && now - last <= within
    }

    /// Whether queued messages will be delivered.
    pub fn mail_configured(&self) -> bool {
        self.mail_configured
    }
}

/// The state of the server function or page being run.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

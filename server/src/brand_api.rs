//! What other services call: the sandbox brand API (`/Advertisers/{AccountSID}/…`, HTTP
//! Basic with `SID:secret`), RFC 7662 introspection (`POST /oauth/introspect`) and RFC 7009
//! revocation by whoever holds a secret (`POST /oauth/revoke`), and secret-scanning
//! reports of exposed secrets (`POST /secret-scanning/github`, `/secret-scanning/report`). Every
//! request finds the token by its secret's hash (in the token cache, emptied by every
//! change to what tokens grant, or the database) and checks expiry and any overlap's end
//! at that moment, so a reset (without overlap), disable, delete or API-access switch takes
//! effect on the very next request.

pub mod clock;
pub(crate) mod credentials;
pub(crate) mod introspect;
pub mod last_used;
pub(crate) mod limit_answers;
pub(crate) mod limit_checks;
pub(crate) mod oauth_error;
pub mod quota_journal;
pub mod quota_leases;
pub mod rate_limit;
pub mod rate_windows;
pub(crate) mod revoke;
pub(crate) mod sandbox;
pub mod scanning_keys;
pub(crate) mod secret_reports;
pub mod usage;

use app::ssr::db::token_cache::TokenCache;
use app::ssr::db::Db;
use axum::routing::{any, post};
use axum::Router;
use last_used::LastUsed;
use rate_limit::RateLimit;
use std::sync::Arc;

/// Limits on guessing and on introspection volume.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Failed authentications allowed per client address and credential per minute.
    pub auth_failures_per_minute: u32,
    /// Introspection calls allowed per key per minute.
    pub introspections_per_minute: u32,
    /// Revocation calls allowed per client address per minute.
    pub revocations_per_minute: u32,
    /// Public secret reports allowed per client address per minute.
    pub reports_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            auth_failures_per_minute: 30,
            introspections_per_minute: 6000,
            revocations_per_minute: 60,
            reports_per_minute: 10,
        }
    }
}

/// Public secret reports looked at at once.
pub const REPORT_WORKERS: usize = 8;

/// Shared by the brand API's handlers.
#[derive(Clone)]
pub struct ApiState {
    /// The database.
    pub pool: Db,
    /// Live tokens by secret hash, following the database's changes.
    pub tokens: Arc<TokenCache>,
    /// SHA-256 of `TOKENSMITH_INTROSPECTION_KEY`; `None`: introspection is off.
    pub introspection_key: Option<[u8; 32]>,
    /// Batched "last used" writes.
    pub last_used: LastUsed,
    /// Requests per token, day and scope, counted in memory and written once a minute.
    pub usage: usage::Usage,
    /// Tokens' rate limits: calls per window, counted in memory.
    pub rates: Arc<rate_windows::RateWindows>,
    /// Tokens' quotas: the blocks of calls this instance leased.
    pub quotas: quota_leases::QuotaLeases,
    /// The time limits' windows are counted in (tests move it).
    pub clock: clock::Clock,
    /// Failed authentications per client address and credential.
    pub failures: RateLimit,
    /// Introspection calls per key.
    pub introspections: RateLimit,
    /// Revocation calls per client address.
    pub revocations: RateLimit,
    /// Public secret reports per client address.
    pub reports: RateLimit,
    /// Public reports looked at at once (each holds a permit until done).
    pub report_workers: Arc<tokio::sync::Semaphore>,
    /// The keys GitHub's secret-scanning reports are signed with (none: refused).
    pub scanning_keys: Arc<scanning_keys::ScanningKeys>,
    /// How many well-formed secrets were looked up, in the token cache or the database
    /// (tests check malformed secrets cost none).
    #[cfg(feature = "test-hooks")]
    pub lookups: Arc<std::sync::atomic::AtomicU64>,
    /// Whose `X-Forwarded-For` is believed (`TOKENSMITH_TRUSTED_PROXIES`; nobody's by default).
    pub trusted_proxies: crate::http::client_address::TrustedProxies,
}

impl ApiState {
    /// State for `pool`, with introspection on when `introspection_key` is set.
    pub fn new(pool: Db, introspection_key: Option<&str>, limits: Limits) -> Self {
        use sha2::{Digest, Sha256};
        let db = pool.clone();
        Self {
            tokens: TokenCache::following(pool.change_feed()),
            pool,
            introspection_key: introspection_key.map(|key| Sha256::digest(key.as_bytes()).into()),
            last_used: LastUsed::default(),
            usage: usage::Usage::default(),
            rates: Arc::default(),
            quotas: quota_leases::QuotaLeases::default(),
            clock: clock::Clock::default(),
            failures: RateLimit::per_minute(&db, limits.auth_failures_per_minute),
            introspections: RateLimit::per_minute(&db, limits.introspections_per_minute),
            revocations: RateLimit::per_minute(&db, limits.revocations_per_minute),
            reports: RateLimit::per_minute(&db, limits.reports_per_minute),
            report_workers: Arc::new(tokio::sync::Semaphore::new(REPORT_WORKERS)),
            scanning_keys: Arc::default(),
            #[cfg(feature = "test-hooks")]
            lookups: Arc::default(),
            trusted_proxies: Default::default(),
        }
    }
}

/// The brand API's routes, ready to merge into the site's router.
pub fn routes<S>(state: ApiState) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/Advertisers/{account}", any(sandbox::no_resource))
        .route("/Advertisers/{account}/{resource}", any(sandbox::handle))
        .route(
            "/Advertisers/{account}/{resource}/{*rest}",
            any(sandbox::handle_nested),
        )
        .route("/oauth/introspect", post(introspect::handle))
        .route("/oauth/revoke", post(revoke::handle))
        .route(
            "/secret-scanning/github",
            post(secret_reports::github::handle),
        )
        .route(
            "/secret-scanning/report",
            post(secret_reports::public::handle),
        )
        .with_state(state)
}

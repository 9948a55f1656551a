//! Start-up and shutdown of a serving instance: the database opened and migrated, the state
//! and the workers built from the configuration, the listener run until a signal, then
//! everything stopped in order.

use crate::brand_api::quota_journal::QuotaJournal;
use crate::brand_api::quota_leases::QuotaLeases;
use crate::brand_api::ApiState;
use crate::commands::backup;
use crate::config::Config;
use crate::http::{router, serve};
use crate::workers::{self, mailer, Workers};
use app::ssr::db::{self, Db};
use app::ssr::sign_in_guard::SignInGuard;
use app::ssr::state::{AppState, Outbox};
use std::time::Duration;

/// How long the workers get, once requests are done, to finish what they are doing.
const WORKERS_GRACE: Duration = Duration::from_secs(20);

/// Opens the database, creating its folder, and applies the migrations; any failure
/// stops the program with a message that says what to fix.
pub async fn open_database(url: &str) -> Result<Db, String> {
    let redacted = mailer::redact_url(url);
    if let Some(folder) = sqlite_folder(url) {
        std::fs::create_dir_all(&folder).map_err(|e| {
            format!(
                "cannot create the database folder {}: {e}",
                folder.display()
            )
        })?;
    }
    let pool = db::connect(url)
        .await
        .map_err(|e| format!("cannot open the database at {redacted}: {e}"))?;
    db::migrate(&pool)
        .await
        .map_err(|e| format!("cannot migrate the database at {redacted}: {e}"))?;
    Ok(pool)
}

/// The quota leases, recorded in the journal if one is kept; what a killed run left in it
/// is given back first.
async fn quota_leases(config: &Config, pool: &Db) -> Result<QuotaLeases, String> {
    let Some(path) = &config.quota_journal else {
        tracing::info!(
            "TOKENSMITH_QUOTA_JOURNAL=off: a killed instance's quota leases lapse as spent"
        );
        return Ok(QuotaLeases::default());
    };
    let (journal, recovered) = QuotaJournal::open(path).map_err(|error| {
        format!(
            "TOKENSMITH_QUOTA_JOURNAL: cannot open {}: {error}",
            path.display()
        )
    })?;
    QuotaLeases::recover(pool, &recovered).await;
    Ok(QuotaLeases::new(journal))
}

fn sqlite_folder(url: &str) -> Option<std::path::PathBuf> {
    backup::sqlite_path(url)?
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.to_path_buf())
}

/// Serves until Ctrl-C or SIGTERM; then in-flight requests finish, the workers record
/// what they hold ("last used" times, usage counts, the message being sent), and the
/// database is closed cleanly.
pub async fn serve(config: Config, pool: Db) -> Result<(), String> {
    app::ssr::auth::set_idle_timeout_secs(config.session_idle_secs);
    app::ssr::auth::set_sudo_secs(config.sudo_secs);
    tracing::info!(
        idle_minutes = config.session_idle_secs / 60,
        "sessions end after this long unused"
    );
    let state = app_state(&config, pool.clone());
    let mut api = ApiState::new(
        pool.clone(),
        config.introspection_key.as_deref(),
        config.limits,
    );
    api.trusted_proxies = config.trusted_proxies.clone();
    api.scanning_keys = config.scanning_keys.clone();
    api.quotas = quota_leases(&config, &pool).await?;
    if api.scanning_keys.is_configured() {
        tracing::info!(
            keys = api.scanning_keys.len(),
            "GitHub secret-scanning reports are checked"
        );
    } else {
        tracing::info!(
            "TOKENSMITH_SECRET_SCANNING_KEYS is not set: POST /secret-scanning/github refuses reports"
        );
    }
    if api.introspection_key.is_none() {
        tracing::info!("TOKENSMITH_INTROSPECTION_KEY is not set: introspection is off");
    }
    match &config.passkeys {
        Some(party) => tracing::info!(origin = party.origin(), "passkeys work at this origin"),
        None => tracing::warn!(
            "TOKENSMITH_PUBLIC_URL is not set and the server is not on a loopback address: \
             passkeys are off"
        ),
    }
    let workers = start_workers(&config, &state, &api);
    if let Some(addr) = config.metrics_addr {
        let handle = crate::telemetry::prometheus::install()?;
        let scrape = crate::telemetry::prometheus::Scrape {
            handle,
            pool: pool.clone(),
        };
        crate::telemetry::prometheus::serve(addr, scrape).await?;
    }
    let app = router::build(state, api, config.request_timeout);
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.site_addr))?;
    tracing::info!("listening on http://{}", config.site_addr);
    let proxies = config.trusted_proxies.clone();
    serve::serve(listener, app, config.serve, proxies, shutdown_signal()).await;
    workers.stop(WORKERS_GRACE).await;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

fn app_state(config: &Config, pool: Db) -> AppState {
    AppState {
        leptos_options: config.leptos_options(),
        sign_in: SignInGuard::for_database(config.sign_in, &pool),
        pool,
        secure_cookies: config.secure_cookies,
        outbox: Outbox::new(config.mail.is_some()),
        api_reference: std::sync::Arc::new(crate::routes::openapi::reference()),
        passkeys: config.passkeys.clone(),
        webhook_reach: config.webhook_reach.clone(),
    }
}

/// The background jobs: the token change listener (PostgreSQL), mail (when an SMTP server
/// is set), expiry warnings, expired sessions, and the "last used" and usage writers.
fn start_workers(config: &Config, state: &AppState, api: &ApiState) -> Workers {
    let mut workers = Workers::default();
    let pool = &state.pool;
    // PostgreSQL: other instances' token changes empty this one's token cache.
    let listener = db::change_listener::run(pool.clone(), workers.stopping());
    workers.spawn("the token change listener", listener);
    match &config.mail {
        Some(settings) => {
            tracing::info!(
                host = %settings.host,
                port = settings.port,
                security = ?settings.security,
                "delivering the outbox by SMTP"
            );
            let job = mailer::run(
                pool.clone(),
                mailer::Mailer::new(settings),
                state.outbox.clone(),
                workers.stopping(),
                mailer::POLL,
            );
            workers.spawn("the mail worker", job);
        }
        None => {
            tracing::info!("TOKENSMITH_SMTP_URL is not set: notifications stay in the outbox")
        }
    }
    match workers::webhooks::WebhookClient::new(config.webhook_reach.clone()) {
        Ok(client) => {
            let job = workers::webhooks::run(pool.clone(), client.into(), workers.stopping());
            workers.spawn("the webhook worker", job);
        }
        Err(error) => tracing::error!(%error, "no certificate roots: webhooks are not sent"),
    }
    let warnings = workers::expiry_warnings::run(pool.clone(), workers.stopping());
    workers.spawn("the expiry warnings", warnings);
    let pruning = workers::expired_sessions::run(pool.clone(), workers.stopping());
    workers.spawn("the pruning of expired sessions", pruning);
    let last_used =
        api.last_used
            .clone()
            .flush_every(pool.clone(), config.last_used_flush, workers.stopping());
    workers.spawn("the last-used writer", last_used);
    let usage = api
        .usage
        .clone()
        .flush_every(pool.clone(), config.usage_flush, workers.stopping());
    workers.spawn("the usage writer", usage);
    let quotas = api
        .quotas
        .clone()
        .report_every(pool.clone(), workers.stopping());
    workers.spawn("the quota lease reporter", quotas);
    workers
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}

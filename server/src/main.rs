//! The `tokensmith` binary: one process serves the site, the server functions and
//! (later) the sandbox API; subcommands administer the database.

use app::domain::user_admin::UserChange;
use app::ssr::db;
use app::ssr::sign_in_guard::SignInGuard;
use app::ssr::state::{AppState, Outbox};
use server::brand_api::ApiState;
use server::commands::cli::{self, Command, USAGE};
use server::commands::{backup, seed};
use server::config::Config;
use server::http::{router, serve};
use server::workers::mailer;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

// mimalloc: the pages allocate many small objects and free 64 KB buffers; glibc spent a
// fifth of the API page's CPU in malloc, free and malloc_consolidate.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    if let Err(message) = init_logs() {
        eprintln!("tokensmith: {message}");
        return ExitCode::from(2);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("tokensmith: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if command == Command::Help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tokensmith: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Logs to standard output as text, or with `TOKENSMITH_LOG_FORMAT=json` one JSON object per line
/// (the request's id inside `span`); `RUST_LOG` filters. Text is coloured only on a terminal:
/// a file or a log collector gets plain lines.
fn init_logs() -> Result<(), String> {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal());
    match std::env::var("TOKENSMITH_LOG_FORMAT").as_deref() {
        Ok("json") => logs
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        Ok("text" | "") | Err(_) => logs.init(),
        Ok(other) => {
            return Err(format!(
                "TOKENSMITH_LOG_FORMAT={other:?} should be text or json"
            ))
        }
    }
    Ok(())
}

async fn run(command: Command) -> Result<(), String> {
    let config = Config::from_env()?;
    // These two work on the file, without opening (or migrating) the database as a pool.
    match &command {
        Command::Backup { to } => {
            let summary = backup::backup(&config.database_url, to).await?;
            println!("backed up to {}: {summary}", to.display());
            return Ok(());
        }
        Command::Restore { from } => {
            let shipped = app::ssr::db::Db::shipped_sqlite_migration();
            let summary = backup::restore(&config.database_url, from, shipped).await?;
            println!(
                "restored {} into {}: {summary}; the next start migrates it if needed",
                from.display(),
                mailer::redact_url(&config.database_url)
            );
            return Ok(());
        }
        _ => {}
    }
    let _serving = match command {
        Command::Serve => Some(backup::hold_for_serving(&config.database_url)?),
        _ => None,
    };
    let pool = open_database(&config.database_url).await?;
    match command {
        Command::Serve => serve(config, pool).await,
        Command::Migrate => {
            println!(
                "database at {} is up to date",
                mailer::redact_url(&config.database_url)
            );
            Ok(())
        }
        Command::CreateAccount { name } => {
            let sid = seed::create_account(&pool, &name)
                .await
                .map_err(|e| e.to_string())?;
            println!("created account {name:?} with SID {sid}");
            Ok(())
        }
        Command::CreateUser {
            account,
            email,
            name,
            role,
        } => {
            let (password, generated) = match std::env::var("TOKENSMITH_PASSWORD") {
                Ok(password) => (password, false),
                Err(_) => (seed::generate_password(), true),
            };
            seed::create_user(&pool, &account, &email, &name, role, &password)
                .await
                .map_err(|e| e.to_string())?;
            println!("created {} {email}", role.label());
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        Command::ResetPassword { email } => {
            let (password, generated) = match std::env::var("TOKENSMITH_PASSWORD") {
                Ok(password) => (password, false),
                Err(_) => (seed::generate_password(), true),
            };
            seed::change_user(&pool, &email, UserChange::ResetPassword, Some(&password))
                .await
                .map_err(|e| e.to_string())?;
            if generated {
                println!("temporary password for {email}: {password}");
            } else {
                println!("temporary password for {email} set from TOKENSMITH_PASSWORD");
            }
            println!("they must choose their own when they next sign in; their sessions ended");
            Ok(())
        }
        Command::DisableUser { email } => {
            seed::change_user(&pool, &email, UserChange::Disable, None)
                .await
                .map_err(|e| e.to_string())?;
            println!("disabled {email}: their sessions ended and sign-in is refused");
            Ok(())
        }
        Command::EnableUser { email } => {
            seed::change_user(&pool, &email, UserChange::Enable, None)
                .await
                .map_err(|e| e.to_string())?;
            println!("enabled {email}: they can sign in again");
            Ok(())
        }
        Command::SeedDemo => {
            let demo_password = std::env::var("TOKENSMITH_DEMO_PASSWORD").ok();
            let (sid, users) = seed::seed_demo(&pool, demo_password.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            println!("demo account {:?} ({sid})", seed::DEMO_ACCOUNT);
            for user in users {
                match user.password {
                    Some(password) => println!("  {:<24} {:<27} password: {password}", user.email, user.role.label()),
                    None => println!(
                        "  {:<24} {:<27} password unchanged (set TOKENSMITH_DEMO_PASSWORD to choose one)",
                        user.email,
                        user.role.label()
                    ),
                }
            }
            Ok(())
        }
        Command::Help | Command::Backup { .. } | Command::Restore { .. } => Ok(()),
    }
}

/// Opens the database, creating its folder, and applies the migrations; any failure
/// stops the program with a message that says what to fix.
async fn open_database(url: &str) -> Result<app::ssr::db::Db, String> {
    if let Some(folder) = sqlite_folder(url) {
        std::fs::create_dir_all(&folder).map_err(|e| {
            format!(
                "cannot create the database folder {}: {e}",
                folder.display()
            )
        })?;
    }
    let pool = db::connect(url).await.map_err(|e| {
        format!(
            "cannot open the database at {}: {e}",
            mailer::redact_url(url)
        )
    })?;
    db::migrate(&pool).await.map_err(|e| {
        format!(
            "cannot migrate the database at {}: {e}",
            mailer::redact_url(url)
        )
    })?;
    Ok(pool)
}

fn sqlite_folder(url: &str) -> Option<std::path::PathBuf> {
    backup::sqlite_path(url)?
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(|p| p.to_path_buf())
}

async fn serve(config: Config, pool: app::ssr::db::Db) -> Result<(), String> {
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let outbox = Outbox::new(config.mail.is_some());
    let mail_worker = match &config.mail {
        Some(settings) => {
            tracing::info!(
                host = %settings.host,
                port = settings.port,
                security = ?settings.security,
                "delivering the outbox by SMTP"
            );
            let mailer = mailer::Mailer::new(settings);
            Some(mailer::spawn_until(
                pool.clone(),
                mailer,
                outbox.clone(),
                stopping.clone(),
            ))
        }
        None => {
            tracing::info!("TOKENSMITH_SMTP_URL is not set: notifications stay in the outbox");
            None
        }
    };
    let sign_in = SignInGuard::for_database(config.sign_in, &pool);
    let state = AppState {
        leptos_options: config.leptos_options(),
        pool,
        secure_cookies: config.secure_cookies,
        outbox,
        sign_in,
        api_reference: std::sync::Arc::new(server::routes::openapi::reference()),
    };
    let mut api = ApiState::new(
        state.pool.clone(),
        config.introspection_key.as_deref(),
        config.limits,
    );
    api.trusted_proxies = config.trusted_proxies.clone();
    server::workers::expired_sessions::start(&state.pool)?;
    server::workers::expiry_warnings::start(&state.pool, state.outbox.clone());
    let flusher =
        api.last_used
            .spawn_flusher(state.pool.clone(), config.last_used_flush, stopping.clone());
    let usage_flusher = api
        .usage
        .spawn_flusher(state.pool.clone(), config.usage_flush, stopping);
    // PostgreSQL: other instances' token changes empty this one's token cache.
    let _listener = state.pool.listen_for_changes();
    if api.introspection_key.is_none() {
        tracing::info!("TOKENSMITH_INTROSPECTION_KEY is not set: introspection is off");
    }
    let pool = state.pool.clone();
    if let Some(addr) = config.metrics_addr {
        let handle = server::telemetry::prometheus::install()?;
        let scrape = server::telemetry::prometheus::Scrape {
            handle,
            pool: pool.clone(),
        };
        server::telemetry::prometheus::serve(addr, scrape).await?;
    }
    let app = router::build(state, api, config.request_timeout);
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.site_addr))?;
    tracing::info!("listening on http://{}", config.site_addr);
    serve::serve(
        listener,
        app,
        config.serve,
        config.trusted_proxies.clone(),
        shutdown_signal(),
    )
    .await;
    // Requests are done: record the last "last used" times and usage counts, let the mail worker finish the
    // message it is sending, then close the database cleanly.
    let _ = stop.send(true);
    if let Err(error) = flusher.await {
        tracing::error!(%error, "the last-used writer failed");
    }
    if let Err(error) = usage_flusher.await {
        tracing::error!(%error, "the usage writer failed");
    }
    if let Some(worker) = mail_worker {
        match tokio::time::timeout(std::time::Duration::from_secs(20), worker).await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::error!(%error, "the mail worker failed"),
            Err(_) => tracing::warn!("the mail worker did not stop in time"),
        }
    }
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
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

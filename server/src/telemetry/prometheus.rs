//! Prometheus metrics, off unless `TOKENSMITH_METRICS_ADDR` is set: then `GET /metrics`
//! answers on that address only (not the public one). The counting uses the `metrics`
//! crate's macros, which do nothing while no recorder is installed; the exposition is
//! `metrics-exporter-prometheus`'s.

use super::outcomes::{
    IntrospectionOutcome, MailOutcome, ReportLabel, ReportSource, SandboxOutcome, SignInOutcome,
};
use app::domain::OutboxState;
use app::ssr::db::engine::query;
use app::ssr::db::Db;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, StatusCode};
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, Unit};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;

/// Histogram buckets in seconds: from half a millisecond (a cached sandbox decision) to
/// the request timeout.
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Installs the process's recorder (once; later calls return the same handle).
pub fn install() -> Result<PrometheusHandle, String> {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // Two first callers at once: one installs, the other waits and gets its handle.
    let _one_at_a_time = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(handle) = HANDLE.get() {
        return Ok(handle.clone());
    }
    let handle = PrometheusBuilder::new()
        .set_buckets(BUCKETS)
        .and_then(|builder| builder.install_recorder())
        .map_err(|e| format!("metrics: {e}"))?;
    describe();
    gauge!("tokensmith_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    Ok(HANDLE.get_or_init(|| handle).clone())
}

fn describe() {
    describe_counter!(
        "tokensmith_http_requests_total",
        "Requests answered, by method, route pattern and status."
    );
    describe_histogram!(
        "tokensmith_http_request_duration_seconds",
        Unit::Seconds,
        "Time to the response's headers, by method and route pattern."
    );
    describe_counter!(
        "tokensmith_sandbox_decisions_total",
        "Sandbox API authentication decisions: allow, or refused with the reason."
    );
    describe_counter!(
        "tokensmith_introspection_total",
        "Introspection answers: active, inactive, or refused with the reason."
    );
    describe_counter!(
        "tokensmith_sign_ins_total",
        "Console sign-in steps by outcome (success, recovery_code, second_factor_asked, second_factor_failed, confirmed, confirm_failed, failed, throttled, disabled, busy, error)."
    );
    describe_counter!(
        "tokensmith_audit_events_total",
        "Audit events recorded (committed), by action: token changes, sign-in and factor changes, user and account changes."
    );
    describe_counter!(
        "tokensmith_secret_reports_total",
        "Secrets reported exposed, by reporter (github, report) and label: true_positive (a token's secret; acted on once), false_positive (no token's secret), unchecked (a public report the server could not look up)."
    );
    describe_counter!(
        "tokensmith_mail_deliveries_total",
        "Outbox delivery attempts by outcome (sent, failed, expired)."
    );
    describe_counter!(
        "tokensmith_webhook_attempts_total",
        "Webhook delivery attempts by outcome (delivered, retried, failed: given up on after 3 days)."
    );
    describe_gauge!(
        "tokensmith_outbox_messages",
        "Messages in the outbox by state, counted at each scrape."
    );
    describe_gauge!(
        "tokensmith_db_pool_connections",
        "Database connections open, by state (idle, in_use)."
    );
    describe_histogram!(
        "tokensmith_db_write_wait_seconds",
        Unit::Seconds,
        "Time a write waited for its turn and a pooled connection before it began."
    );
    describe_gauge!(
        "tokensmith_build_info",
        "Always 1, labelled with the running version."
    );
}

/// Counts a sandbox decision.
pub fn sandbox(outcome: SandboxOutcome) {
    const NAME: &str = "tokensmith_sandbox_decisions_total";
    match outcome {
        SandboxOutcome::Allowed => counter!(NAME, "decision" => "allow").increment(1),
        SandboxOutcome::Refused(why) => {
            counter!(NAME, "decision" => "refused", "reason" => why.label()).increment(1)
        }
    }
}

/// Counts an introspection answer.
pub fn introspection(outcome: IntrospectionOutcome) {
    const NAME: &str = "tokensmith_introspection_total";
    match outcome {
        IntrospectionOutcome::Active => counter!(NAME, "result" => "active").increment(1),
        IntrospectionOutcome::Inactive => counter!(NAME, "result" => "inactive").increment(1),
        IntrospectionOutcome::Refused(why) => {
            counter!(NAME, "result" => "refused", "reason" => why.label()).increment(1)
        }
    }
}

/// Counts a sign-in by outcome.
pub fn sign_in(outcome: SignInOutcome) {
    counter!("tokensmith_sign_ins_total", "outcome" => outcome.label()).increment(1);
}

/// Counts one reported secret by reporter and label.
pub fn secret_report(reporter: ReportSource, label: ReportLabel) {
    counter!(
        "tokensmith_secret_reports_total",
        "reporter" => reporter.label(),
        "label" => label.label()
    )
    .increment(1);
}

/// Counts a delivery attempt by outcome.
pub fn mail(outcome: MailOutcome) {
    counter!("tokensmith_mail_deliveries_total", "outcome" => outcome.label()).increment(1);
}

/// Counts a webhook delivery attempt by outcome (`delivered`, `retried`, `failed`).
pub fn webhook(outcome: &'static str) {
    counter!("tokensmith_webhook_attempts_total", "outcome" => outcome).increment(1);
}

/// What `/metrics` needs.
#[derive(Clone)]
pub struct Scrape {
    /// The recorder's handle.
    pub handle: PrometheusHandle,
    /// The database, for the outbox and the pool.
    pub pool: Db,
}

/// The metrics listener's routes: `GET /metrics`, nothing else.
pub fn router(scrape: Scrape) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .with_state(scrape)
}

/// Serves [`router`] on `addr` until the process ends, and drains histograms every few
/// seconds between scrapes.
pub async fn serve(addr: SocketAddr, scrape: Scrape) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("TOKENSMITH_METRICS_ADDR: cannot listen on {addr}: {e}"))?;
    tracing::info!("metrics on http://{addr}/metrics");
    let handle = scrape.handle.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            handle.run_upkeep();
        }
    });
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router(scrape)).await {
            tracing::error!(%error, "the metrics listener stopped");
        }
    });
    Ok(())
}

async fn metrics(State(scrape): State<Scrape>) -> Response {
    let (open, idle) = scrape.pool.connections();
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    gauge!("tokensmith_db_pool_connections", "state" => "idle").set(f64::from(idle));
    gauge!("tokensmith_db_pool_connections", "state" => "in_use")
        .set(f64::from(open.saturating_sub(idle)));
    let counts: Result<Vec<(String, i64)>, _> =
        query("SELECT state, COUNT(*) FROM notifications GROUP BY state")
            .fetch_all(&scrape.pool)
            .await;
    match counts {
        Ok(counts) => {
            // Every state reported, 0 when none is in it.
            for state in OutboxState::ALL.map(OutboxState::as_str) {
                let count = counts.iter().find(|(s, _)| s == state).map_or(0, |c| c.1);
                gauge!("tokensmith_outbox_messages", "state" => state).set(count as f64);
            }
        }
        Err(error) => tracing::warn!(%error, "metrics: the outbox could not be counted"),
    }
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        scrape.handle.render(),
    )
        .into_response()
}

//! `/readyz` for load balancers: this instance can serve (its database answers and has
//! every migration this binary ships, and, with mail configured, the outbox worker is
//! running). `/healthz` (in the router) only says the process is alive.

use app::ssr::now;
use app::ssr::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::header::{HeaderValue, CACHE_CONTROL};
use http::StatusCode;
use serde_json::json;
use std::time::Duration;

/// How long the database may take to answer before the instance counts as not ready.
const DATABASE_WAIT: Duration = Duration::from_secs(2);
/// How long the mail worker may go without going round its loop (a pass delivering many
/// messages slowly counts as running).
const WORKER_SILENCE_SECS: i64 = 300;

/// 200 `{"ready":true,…}` or 503 with what is wrong, never cached.
pub async fn readyz(State(state): State<AppState>) -> Response {
    let mut problems = Vec::new();
    let migrations =
        match tokio::time::timeout(DATABASE_WAIT, state.pool.migration_versions()).await {
            Ok(Ok((shipped, applied))) => {
                if applied != shipped {
                    problems.push(format!(
                        "the database has migration {applied}, this binary ships {shipped}"
                    ));
                }
                json!({ "shipped": shipped, "applied": applied })
            }
            Ok(Err(error)) => {
                tracing::warn!(%error, "readiness: the database did not answer");
                problems.push("the database did not answer".to_string());
                serde_json::Value::Null
            }
            Err(_) => {
                problems.push("the database did not answer within 2 s".to_string());
                serde_json::Value::Null
            }
        };
    let mail = if !state.outbox.mail_configured() {
        "not configured"
    } else if state.outbox.worker_alive(now(), WORKER_SILENCE_SECS) {
        "running"
    } else {
        problems.push("the mail worker is not running".to_string());
        "stopped"
    };
    let ready = problems.is_empty();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "ready": ready,
        "database": if migrations.is_null() { "unreachable" } else { "reachable" },
        "migrations": migrations,
        "mail": mail,
        "problems": problems,
    });
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

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
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long the database may take to answer before the instance counts as not ready.
const DATABASE_WAIT: Duration = Duration::from_secs(2);
/// How long the mail worker may go without going round its loop (a pass delivering many
/// messages slowly counts as running).
const WORKER_SILENCE_SECS: i64 = 300;

/// What the database check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Database {
    /// It answered with these migrations: the latest this binary ships, the latest applied.
    Answered { shipped: i64, applied: i64 },
    /// It answered with an error.
    Failed,
    /// It didn't answer within [`DATABASE_WAIT`].
    Late,
}

/// How long one database check stands for every caller.
pub const CHECK_AGE: Duration = Duration::from_secs(1);

/// The last database check, shared by the callers of one router: anyone may call
/// `/readyz`, so a flood of calls makes at most one query a second, and callers arriving
/// during a check wait for it instead of starting their own.
#[derive(Clone, Default)]
pub struct Readiness(Arc<Mutex<Option<(Instant, Database)>>>);

impl Readiness {
    /// The check, from the last one if it is younger than [`CHECK_AGE`], else from `run`.
    async fn database<F, Fut>(&self, run: F) -> Database
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Database>,
    {
        let mut last = self.0.lock().await;
        if let Some((at, found)) = *last {
            if at.elapsed() < CHECK_AGE {
                return found;
            }
        }
        let found = run().await;
        *last = Some((Instant::now(), found));
        found
    }
}

async fn check_database(state: &AppState) -> Database {
    match tokio::time::timeout(DATABASE_WAIT, state.pool.migration_versions()).await {
        Ok(Ok((shipped, applied))) => Database::Answered { shipped, applied },
        Ok(Err(error)) => {
            tracing::warn!(%error, "readiness: the database did not answer");
            Database::Failed
        }
        Err(_) => Database::Late,
    }
}

/// 200 `{"ready":true,…}` or 503 with what is wrong, never cached by others. The answer
/// says what to fix without version details (anyone can read it): the log has the numbers.
pub async fn readyz(State(state): State<AppState>, readiness: Readiness) -> Response {
    let mut problems = Vec::new();
    let database = readiness.database(|| check_database(&state)).await;
    let migrations = match database {
        Database::Answered { shipped, applied } if applied == shipped => "current",
        Database::Answered { shipped, applied } => {
            tracing::warn!(
                shipped,
                applied,
                "readiness: the database's migrations differ from this binary's"
            );
            problems.push(if applied < shipped {
                "the database is behind this binary: run its migrations (start one instance)"
            } else {
                "the database was migrated by a newer Tokensmith than this binary"
            });
            if applied < shipped {
                "behind"
            } else {
                "ahead"
            }
        }
        Database::Failed => {
            problems.push("the database did not answer");
            "unknown"
        }
        Database::Late => {
            problems.push("the database did not answer within 2 s");
            "unknown"
        }
    };
    let mail = if !state.outbox.mail_configured() {
        "not configured"
    } else if state.outbox.worker_alive(now(), WORKER_SILENCE_SECS) {
        "running"
    } else {
        problems.push("the mail worker is not running");
        "stopped"
    };
    let ready = problems.is_empty();
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let reachable = matches!(database, Database::Answered { .. });
    let body = json!({
        "ready": ready,
        "database": if reachable { "reachable" } else { "unreachable" },
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_callers_share_one_check_a_second() {
        let readiness = Readiness::default();
        let runs = Arc::new(AtomicUsize::new(0));
        let call = || {
            let (readiness, runs) = (readiness.clone(), runs.clone());
            async move {
                readiness
                    .database(|| async {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        Database::Answered {
                            shipped: 16,
                            applied: 16,
                        }
                    })
                    .await
            }
        };
        let calls: Vec<_> = (0..50).map(|_| tokio::spawn(call())).collect();
        for call in calls {
            call.await.unwrap();
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        *readiness.0.lock().await = Some((Instant::now() - CHECK_AGE, Database::Failed));
        call().await;
        assert_eq!(runs.load(Ordering::SeqCst), 2, "an old check is made again");
    }
}

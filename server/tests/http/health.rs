//! `/healthz` and `/readyz` for load balancers.

use super::harness::TestApp;
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::Value;

async fn ready(app: &TestApp) -> (StatusCode, Value) {
    let reply = app.get("/readyz", None).await;
    assert_eq!(reply.header("cache-control"), "no-store");
    (reply.status, serde_json::from_str(&reply.body).unwrap())
}

#[tokio::test]
async fn a_migrated_instance_without_mail_is_ready() {
    let app = TestApp::new().await;
    let alive = app.get("/healthz", None).await;
    assert_eq!((alive.status, alive.body.as_str()), (StatusCode::OK, "ok"));
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["ready"], true);
    assert_eq!(body["database"], "reachable");
    assert_eq!(body["mail"], "not configured");
    assert_eq!(body["migrations"], "current");
}

#[tokio::test]
async fn mail_configured_needs_its_worker_running() {
    let app = TestApp::with_mail().await;
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["mail"], "stopped");
    assert_eq!(body["problems"][0], "the mail worker is not running");
    app.outbox.beat(Some(app::ssr::now()));
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["mail"], "running");
    // A worker silent for longer than a long pass: not running.
    app.outbox.beat(Some(app::ssr::now() - 301));
    assert_eq!(ready(&app).await.0, StatusCode::SERVICE_UNAVAILABLE);
    app.outbox.beat(None);
    assert_eq!(ready(&app).await.0, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_database_behind_the_binary_is_not_ready() {
    let app = TestApp::new().await;
    query("DELETE FROM _sqlx_migrations WHERE version = 17")
        .execute(&app.pool)
        .await
        .unwrap();
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["migrations"], "behind");
    assert_eq!(
        body["problems"][0],
        "the database is behind this binary: run its migrations (start one instance)"
    );
    // Anyone can ask: the answer gives no version numbers.
    let text = body.to_string();
    assert!(!text.contains("16") && !text.contains("17"), "{text}");
}

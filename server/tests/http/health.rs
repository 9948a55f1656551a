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
    let latest: i64 = query("SELECT MAX(version) FROM _sqlx_migrations")
        .scalar(&app.pool)
        .await
        .unwrap();
    query("DELETE FROM _sqlx_migrations WHERE version = $1")
        .bind(latest)
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
    let (older, latest) = ((latest - 1).to_string(), latest.to_string());
    assert!(!text.contains(&older) && !text.contains(&latest), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_that_does_not_answer_in_2_s_is_not_ready() {
    let app = TestApp::new().await;
    // Every connection taken: the readiness check waits for one in vain.
    let (mut sqlite, mut postgres) = (Vec::new(), Vec::new());
    // Until one more can't be had within 2 s: every one is open and held.
    let wait = std::time::Duration::from_secs(2);
    match &app.pool {
        app::ssr::db::Db::Sqlite(db, _) => {
            while let Ok(Ok(connection)) = tokio::time::timeout(wait, db.connections.take()).await {
                sqlite.push(connection);
            }
        }
        app::ssr::db::Db::Postgres(pool, _) => {
            while let Ok(Ok(connection)) = tokio::time::timeout(wait, pool.acquire()).await {
                postgres.push(connection);
            }
        }
    }
    assert!(sqlite.len() + postgres.len() > 0);
    let asked = std::time::Instant::now();
    let (status, body) = ready(&app).await;
    let took = asked.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["database"], "unreachable", "{body}");
    assert_eq!(
        body["problems"][0],
        "the database did not answer within 2 s"
    );
    assert!(took >= std::time::Duration::from_secs(2), "{took:?}");
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    drop((sqlite, postgres));
}

#[tokio::test]
async fn a_database_ahead_of_the_binary_is_not_ready() {
    let app = TestApp::new().await;
    let latest: i64 = query("SELECT MAX(version) FROM _sqlx_migrations")
        .scalar(&app.pool)
        .await
        .unwrap();
    query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES ($1, 'from a newer Tokensmith', TRUE, $2, 0)",
    )
    .bind(latest + 1)
    .bind(vec![0u8; 4])
    .execute(&app.pool)
    .await
    .unwrap();
    let (status, body) = ready(&app).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["migrations"], "ahead");
    assert_eq!(
        body["problems"][0],
        "the database was migrated by a newer Tokensmith than this binary"
    );
}

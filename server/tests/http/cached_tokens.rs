//! A token in an instance's cache is still checked at every call: its expiry against the
//! clock and its allowlist against the caller, without reading the database again.

use super::harness::{basic, TestApp, ADMIN};
use super::token_governance::{create, created};
use app::domain::TokenSecret;
use app::ssr::credentials::hash_secret;
use app::ssr::db::engine::query;
use app::ssr::now;
use http::StatusCode;
use serde_json::json;

/// Whether the instance's cache holds the token `secret` authenticates.
fn cached(app: &TestApp, secret: &str) -> bool {
    let secret = TokenSecret::parse(secret).unwrap();
    app.api.tokens.get(&hash_secret(&secret)).is_some()
}

/// Calls `path` from `client` until the token is cached (on PostgreSQL the app's own
/// change announcements, arriving late, may empty the cache once more); the last answer.
async fn call_until_cached(
    app: &TestApp,
    client: &str,
    path: &str,
    auth: &str,
    secret: &str,
) -> super::harness::Reply {
    for _ in 0..20 {
        let reply = app.api_from(client, path, auth).await;
        if cached(app, secret) {
            return reply;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the token never stayed in the cache");
}

#[tokio::test]
async fn a_cached_token_stops_working_when_it_expires() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let (sid, secret) = created(&create(&app, &cookie, "Ends soon", json!({})).await);
    let ends = now() + 2;
    query("UPDATE tokens SET expires_at = $1 WHERE sid = $2")
        .bind(ends)
        .bind(&sid)
        .execute(&app.pool)
        .await
        .unwrap();
    app.api.tokens.forget_all();
    let path = format!("/Advertisers/{}/Actions", app.account_sid().await);
    let auth = basic(&sid, &secret);
    let before = call_until_cached(&app, "198.51.100.7:5000", &path, &auth, &secret).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.body);
    assert!(cached(&app, &secret));
    while now() <= ends {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Cached again once expired (the cache keeps what it read), and refused all the same.
    let read = std::time::Instant::now();
    let after = call_until_cached(&app, "198.51.100.7:5000", &path, &auth, &secret).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "{}", after.body);
    let again = app.api_from("198.51.100.7:5000", &path, &auth).await;
    assert!(read.elapsed() < app::ssr::db::token_cache::MAX_AGE);
    assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.body);
}

#[tokio::test]
async fn a_cached_token_still_checks_each_callers_address() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let fenced = json!({ "allowed_ips": "203.0.113.0/24" });
    let (sid, secret) = created(&create(&app, &cookie, "Fenced", fenced).await);
    let path = format!("/Advertisers/{}/Actions", app.account_sid().await);
    let auth = basic(&sid, &secret);
    let inside = call_until_cached(&app, "203.0.113.9:5000", &path, &auth, &secret).await;
    assert_eq!(inside.status, StatusCode::OK, "{}", inside.body);
    assert!(cached(&app, &secret));
    let outside = app.api_from("198.51.100.4:5000", &path, &auth).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    assert!(outside.body.contains("198.51.100.4"), "{}", outside.body);
    assert!(
        cached(&app, &secret),
        "the refusal came from the cached entry"
    );
    let again = app.api_from("203.0.113.10:5000", &path, &auth).await;
    assert_eq!(again.status, StatusCode::OK);
}

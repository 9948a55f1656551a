//! Sessions that end: the idle timeout, the absolute lifetime, pruning, **Sign out
//! everywhere**, the `__Host-` cookie and HSTS over https, and ending the other sessions
//! when a password changes.

use super::harness::{cookie_from, TestApp, ADMIN, HOST, PASSWORD, SPECIALIST};
use app::ssr::auth::{self, SessionToken};
use app::ssr::db::engine::query;
use app::ssr::db::sessions;
use axum::body::Body;
use http::{header, HeaderMap, Request, StatusCode};

/// The stored key of the session in `cookie` (`name=value`).
fn hash_of(cookie: &str, secure: bool) -> Vec<u8> {
    let mut headers = HeaderMap::new();
    headers.insert(header::COOKIE, cookie.parse().unwrap());
    SessionToken::from_headers(&headers, secure)
        .expect("a session cookie")
        .hash()
        .to_vec()
}

async fn set_column(app: &TestApp, cookie: &str, column: &str, value: i64) {
    let done = query(format!(
        "UPDATE sessions SET {column} = $1 WHERE id_hash = $2"
    ))
    .bind(value)
    .bind(hash_of(cookie, false))
    .execute(&app.pool)
    .await
    .unwrap();
    assert_eq!(done, 1);
}

async fn last_seen(app: &TestApp, cookie: &str) -> Option<i64> {
    query("SELECT last_seen_at FROM sessions WHERE id_hash = $1")
        .bind(hash_of(cookie, false))
        .scalar_optional(&app.pool)
        .await
        .unwrap()
}

async fn session_count(app: &TestApp) -> i64 {
    query("SELECT count(*) FROM sessions")
        .scalar(&app.pool)
        .await
        .unwrap()
}

/// Signed out: pages send to `/login`, server functions answer 401.
async fn assert_signed_out(app: &TestApp, cookie: &str) {
    let page = app.get("/settings/api", Some(cookie)).await;
    assert_eq!(page.status, StatusCode::FOUND, "{cookie}");
    assert_eq!(page.header("location"), "/login");
    let call = app.call("api_settings", Some(cookie), "").await;
    assert_eq!(call.status, StatusCode::UNAUTHORIZED);
}

async fn assert_signed_in(app: &TestApp, cookie: &str) {
    let page = app.get("/settings/api", Some(cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn a_session_unused_for_longer_than_the_idle_timeout_ends() {
    let app = TestApp::new().await;
    let for_page = app.sign_in(ADMIN).await;
    let for_call = app.sign_in(ADMIN).await;
    assert_signed_in(&app, &for_page).await;
    let idle = auth::idle_timeout_secs();
    assert_eq!(idle, 30 * 60, "the default");
    let long_ago = app::ssr::now() - idle - 5;
    set_column(&app, &for_page, "last_seen_at", long_ago).await;
    set_column(&app, &for_call, "last_seen_at", long_ago).await;

    let page = app.get("/settings/api", Some(&for_page)).await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.header("location"), "/login");
    let call = app.call("api_settings", Some(&for_call), "").await;
    assert_eq!(call.status, StatusCode::UNAUTHORIZED);
    // Refused and deleted.
    assert_eq!(last_seen(&app, &for_page).await, None);
    assert_eq!(last_seen(&app, &for_call).await, None);
    assert_signed_out(&app, &for_page).await;
}

#[tokio::test]
async fn use_keeps_a_session_alive_and_is_recorded_at_most_once_a_minute() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let now = app::ssr::now();
    // Used 29 minutes ago: still alive, and this use is recorded.
    set_column(&app, &cookie, "last_seen_at", now - 29 * 60).await;
    assert_signed_in(&app, &cookie).await;
    let seen = last_seen(&app, &cookie).await.unwrap();
    assert!(seen >= now, "recorded: {seen} vs {now}");
    // Used 20 s ago: no write for this use.
    set_column(&app, &cookie, "last_seen_at", now - 20).await;
    assert_signed_in(&app, &cookie).await;
    assert_eq!(last_seen(&app, &cookie).await, Some(now - 20));
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_even_in_use() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let (created, expires): (i64, i64) =
        query("SELECT created_at, expires_at FROM sessions WHERE id_hash = $1")
            .bind(hash_of(&cookie, false))
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(expires - created, 12 * 60 * 60);
    set_column(&app, &cookie, "expires_at", app::ssr::now() - 1).await;
    assert_signed_out(&app, &cookie).await;
    assert_eq!(last_seen(&app, &cookie).await, None, "deleted");
}

#[tokio::test]
async fn expired_sessions_are_pruned() {
    let app = TestApp::new().await;
    let idle = app.sign_in(ADMIN).await;
    let old = app.sign_in(SPECIALIST).await;
    let live = app.sign_in(SPECIALIST).await;
    let now = app::ssr::now();
    set_column(&app, &idle, "last_seen_at", now - 31 * 60).await;
    set_column(&app, &old, "expires_at", now - 1).await;
    // Nobody uses them again; the next sign-in clears them away.
    assert_eq!(session_count(&app).await, 3);
    let fresh = app.sign_in(ADMIN).await;
    assert_eq!(last_seen(&app, &idle).await, None);
    assert_eq!(last_seen(&app, &old).await, None);
    assert!(last_seen(&app, &live).await.is_some());
    assert!(last_seen(&app, &fresh).await.is_some());

    // The periodic task's own step.
    set_column(&app, &live, "last_seen_at", now - 31 * 60).await;
    let pruned = sessions::prune(&app.pool, now, auth::idle_timeout_secs())
        .await
        .unwrap();
    assert_eq!(pruned, 1);
    assert_eq!(session_count(&app).await, 1);
    assert_signed_in(&app, &fresh).await;
}

async fn everywhere_events(app: &TestApp) -> Vec<(i64, Option<i64>, i64, String)> {
    query(
        "SELECT account_id, token_id, actor_id, detail FROM audit_events
         WHERE action = 'signed_out_everywhere'",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn sign_out_everywhere_ends_all_of_the_users_sessions_and_is_audited() {
    let app = TestApp::new().await;
    let laptop = app.sign_in(ADMIN).await;
    let phone = app.sign_in(ADMIN).await;
    let colleague = app.sign_in(SPECIALIST).await;

    let page = app.get("/settings/api", Some(&laptop)).await;
    assert!(page.body.contains(r#"action="/logout/everywhere""#));
    assert!(page.body.contains("Sign out everywhere"));

    let reply = app.post_form("/logout/everywhere", Some(&laptop), "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/login");
    assert!(reply.header("set-cookie").contains("Max-Age=0"));

    assert_signed_out(&app, &laptop).await;
    assert_signed_out(&app, &phone).await;
    assert_signed_in(&app, &colleague).await;

    let events = everywhere_events(&app).await;
    assert_eq!(events.len(), 1);
    let (account_id, token_id, actor_id, detail) = &events[0];
    let admin_account: i64 = query("SELECT account_id FROM users WHERE email = $1")
        .bind(ADMIN)
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(*account_id, admin_account);
    assert_eq!(*token_id, None);
    assert_eq!(*actor_id, app.user_id(ADMIN).await);
    assert!(detail.contains(r#""before":"2""#), "{detail}");

    // Without a session there is nothing to end, and nothing is audited.
    let again = app.post_form("/logout/everywhere", Some(&laptop), "").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(everywhere_events(&app).await.len(), 1);
}

#[tokio::test]
async fn sign_out_everywhere_as_a_server_function() {
    let app = TestApp::new().await;
    let nobody = app.call("sign_out_everywhere", None, "").await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);

    let first = app.sign_in(SPECIALIST).await;
    let second = app.sign_in(SPECIALIST).await;
    let colleague = app.sign_in(ADMIN).await;
    let reply = app.call("sign_out_everywhere", Some(&second), "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let removal = reply.header("set-cookie");
    assert!(removal.starts_with("tokensmith_session=;"), "{removal}");
    assert!(removal.contains("Max-Age=0"));
    assert_signed_out(&app, &first).await;
    assert_signed_out(&app, &second).await;
    assert_signed_in(&app, &colleague).await;
    let events = everywhere_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].2, app.user_id(SPECIALIST).await);

    let cross_site = app
        .post_with(
            "/logout/everywhere",
            Some(&colleague),
            "",
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(cross_site.status, StatusCode::FORBIDDEN);
    assert_signed_in(&app, &colleague).await;
}

const HSTS: &str = "strict-transport-security";

async fn get_with(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    https: bool,
) -> super::harness::Reply {
    let mut request = Request::get(path)
        .header(header::HOST, HOST)
        .header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if https {
        request = request.header("x-forwarded-proto", "https");
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn over_https_the_cookie_is_host_prefixed_and_responses_carry_hsts() {
    let app = TestApp::new().await;
    let https = [("x-forwarded-proto", "https")];
    let reply = app
        .post_with(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
            &[https[0], ("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let set_cookie = reply.header("set-cookie");
    assert!(
        set_cookie.starts_with("__Host-tokensmith_session="),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Path=/;") && set_cookie.ends_with("; Secure"));
    assert!(!set_cookie.to_ascii_lowercase().contains("domain"));
    assert_eq!(reply.header(HSTS), "max-age=31536000");
    let cookie = cookie_from(&reply);

    let page = get_with(&app, "/settings/api", Some(&cookie), true).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header(HSTS), "max-age=31536000");
    let health = get_with(&app, "/healthz", None, true).await;
    assert_eq!(health.header(HSTS), "max-age=31536000");

    // The same id under the plain name opens nothing over https.
    let value = cookie.split_once('=').unwrap().1;
    let plain = format!("tokensmith_session={value}");
    let page = get_with(&app, "/settings/api", Some(&plain), true).await;
    assert_eq!(page.status, StatusCode::FOUND);

    // Sign-out removes the prefixed cookie.
    let out = app
        .post_with(
            "/logout",
            Some(&cookie),
            "",
            &[https[0], ("sec-fetch-site", "same-origin")],
        )
        .await;
    let removal = out.header("set-cookie");
    assert!(removal.starts_with("__Host-tokensmith_session=;") && removal.contains("Max-Age=0"));
    assert!(removal.ends_with("; Secure"));
}

#[tokio::test]
async fn over_plain_http_there_is_no_prefix_and_no_hsts() {
    let app = TestApp::new().await;
    let reply = app
        .post_form(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
        )
        .await;
    assert!(reply
        .header("set-cookie")
        .starts_with("tokensmith_session="));
    assert_eq!(reply.header(HSTS), "");
    let cookie = cookie_from(&reply);
    for path in ["/settings/api", "/login", "/healthz"] {
        let page = get_with(&app, path, Some(&cookie), false).await;
        assert_eq!(page.header(HSTS), "", "{path}");
    }
}

#[tokio::test]
async fn configured_secure_cookies_prefix_the_cookie_without_a_proxy_header() {
    let app = TestApp::with_secure_cookies().await;
    let reply = app
        .post_form(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply
        .header("set-cookie")
        .starts_with("__Host-tokensmith_session="));
    assert_eq!(reply.header(HSTS), "max-age=31536000");
    let cookie = cookie_from(&reply);
    let page = get_with(&app, "/settings/api", Some(&cookie), false).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.header(HSTS), "max-age=31536000");
}

#[tokio::test]
async fn a_password_change_ends_the_users_other_sessions() {
    let app = TestApp::new().await;
    let current = app.sign_in(ADMIN).await;
    let other = app.sign_in(ADMIN).await;
    let third = app.sign_in(ADMIN).await;
    let colleague = app.sign_in(SPECIALIST).await;
    let change = serde_json::json!({ "change": {
        "current": PASSWORD,
        "new": "a-new-passphrase-for-tests",
        "confirm": "a-new-passphrase-for-tests",
    } });
    let reply = app
        .call_json("change_password", Some(&current), &change)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let done: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(done["other_sessions_ended"], 2);
    assert_signed_in(&app, &current).await;
    assert_signed_out(&app, &other).await;
    assert_signed_out(&app, &third).await;
    assert_signed_in(&app, &colleague).await;

    // The operator's password reset (seed-demo with a chosen password) ends them all.
    server::commands::seed::seed_demo(&app.pool, Some("another-password-for-tests"))
        .await
        .unwrap();
    assert_signed_out(&app, &current).await;
    assert_signed_out(&app, &colleague).await;
    assert_eq!(session_count(&app).await, 0);
}

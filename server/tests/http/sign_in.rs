//! `POST /login`.

use super::harness::{cookie_from, TestApp, ADMIN, ANALYST, PASSWORD};
use http::StatusCode;

const FAILURE: &str = "Email or password is incorrect.";

#[tokio::test]
async fn the_form_is_server_rendered() {
    let app = TestApp::new().await;
    let reply = app.get("/login", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .body
        .contains(r#"<form method="post" action="/login""#));
    assert!(reply.body.contains(r#"name="email""#));
    assert!(reply.body.contains(r#"name="password""#));
    assert!(reply.body.contains("Sign in</button>"));
    assert!(!reply.body.contains(FAILURE));
}

#[tokio::test]
async fn right_credentials_open_a_session_and_go_home() {
    let app = TestApp::new().await;
    let reply = app
        .post_form(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/settings/api");
    let set_cookie = reply.header("set-cookie");
    assert!(set_cookie.starts_with("tokensmith_session="));
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    assert!(
        !set_cookie.contains("Secure"),
        "plain http gets no Secure flag"
    );

    let page = app.get("/settings/api", Some(&cookie_from(&reply))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Alex Morgan"));
}

#[tokio::test]
async fn email_case_does_not_matter() {
    let app = TestApp::new().await;
    let reply = app
        .post_form(
            "/login",
            None,
            &format!("email=ADMIN%40Acme.Test&password={PASSWORD}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_failure_gets_the_same_message_and_401() {
    let app = TestApp::new().await;
    let attempts = [
        format!("email={ADMIN}&password=wrong-password"),
        format!("email=nobody%40acme.test&password={PASSWORD}"),
        format!("email=not-an-email&password={PASSWORD}"),
        "email=&password=".to_string(),
        "garbage".to_string(),
        format!("email={ADMIN}&password={}", "x".repeat(5000)),
    ];
    for body in attempts {
        let reply = app.post_form("/login", None, &body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{body}");
        assert!(reply.body.contains(FAILURE), "{body}");
        assert!(reply.header("set-cookie").is_empty(), "{body}");
        assert!(reply.header("content-type").starts_with("text/html"));
    }
}

#[tokio::test]
async fn a_failed_attempt_keeps_the_email_typed() {
    let app = TestApp::new().await;
    let reply = app
        .post_form("/login", None, &format!("email={ANALYST}&password=nope"))
        .await;
    assert!(reply.body.contains(&format!(r#"value="{ANALYST}""#)));
}

#[tokio::test]
async fn signing_in_again_replaces_the_session() {
    let app = TestApp::new().await;
    let first = app.sign_in(ADMIN).await;
    let reply = app
        .post_form(
            "/login",
            Some(&first),
            &format!("email={ADMIN}&password={PASSWORD}"),
        )
        .await;
    let second = cookie_from(&reply);
    assert_ne!(first, second);
    assert_eq!(
        app.get("/settings/api", Some(&first)).await.status,
        StatusCode::FOUND
    );
    assert_eq!(
        app.get("/settings/api", Some(&second)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn https_behind_a_proxy_marks_the_cookie_secure() {
    let app = TestApp::new().await;
    let reply = app
        .post_with(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
            &[("x-forwarded-proto", "https")],
        )
        .await;
    assert!(reply.header("set-cookie").ends_with("; Secure"));
}

#[tokio::test]
async fn the_database_holds_no_session_id() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let id = cookie.split_once('=').unwrap().1;
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT id_hash FROM sessions")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].windows(id.len()).any(|w| w == id.as_bytes()));
}

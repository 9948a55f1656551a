//! Codes raced: the same authenticator code or recovery code sent by many sign-ins at once
//! opens exactly one session; every role sets up its own app, and nobody else's.

use super::harness::{cookie_from, TestApp, ADMIN, FINANCE, PASSWORD};
use super::second_factors::set_up_app;
use app::ssr::db::engine::query;
use http::StatusCode;
use std::sync::Arc;

/// `n` pending sign-ins of `email`, each with its own cookie.
async fn pending(app: &TestApp, email: &str, n: usize) -> Vec<String> {
    let mut cookies = Vec::new();
    for _ in 0..n {
        let body = format!("email={email}&password={PASSWORD}");
        let reply = app.post_form("/login", None, &body).await;
        assert_eq!(reply.header("location"), "/login/two-factor");
        cookies.push(cookie_from(&reply));
    }
    cookies
}

/// Sends `code` from every pending sign-in at once; how many opened a session. The others
/// are refused: 401, or 429 once the account's failures reach its limit (a replayed code
/// counts as a failure, and a failure that began after the success cleared the count
/// stays counted, so a second race may meet the limit).
async fn race(app: Arc<TestApp>, cookies: Vec<String>, code: String) -> usize {
    let tasks: Vec<_> = cookies
        .into_iter()
        .map(|cookie| {
            let app = app.clone();
            let body = format!("code={code}");
            tokio::spawn(async move {
                app.post_form("/login/two-factor", Some(&cookie), &body)
                    .await
                    .status
            })
        })
        .collect();
    let mut opened = 0;
    for task in tasks {
        let status = task.await.unwrap();
        assert!(
            status == StatusCode::SEE_OTHER
                || status == StatusCode::UNAUTHORIZED
                || status == StatusCode::TOO_MANY_REQUESTS,
            "{status}"
        );
        opened += usize::from(status == StatusCode::SEE_OTHER);
    }
    opened
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_code_opens_one_session_however_many_send_it_at_once() {
    let app = Arc::new(TestApp::new().await);
    let admin = app.sign_in(ADMIN).await;
    let (key, codes) = set_up_app(&app, &admin).await;
    let cookies = pending(&app, ADMIN, 6).await;
    let next = key.code_at(app::ssr::now() + 30);
    assert_eq!(race(app.clone(), cookies, next).await, 1);
    let cookies = pending(&app, ADMIN, 6).await;
    assert_eq!(race(app.clone(), cookies, codes[3].clone()).await, 1);
}

#[tokio::test]
async fn every_role_keeps_its_own_factors() {
    let app = TestApp::new().await;
    let finance = app.sign_in(FINANCE).await;
    let admin = app.sign_in(ADMIN).await;
    set_up_app(&app, &finance).await;
    // The administrator's page knows nothing of the finance user's app.
    let own = app.call("security", Some(&admin), "").await;
    assert!(own.body.contains("\"app\":null"), "{}", own.body);
    assert_eq!(
        app.call("remove_app", Some(&admin), "").await.status,
        StatusCode::NOT_FOUND
    );
    let theirs = app.call("security", Some(&finance), "").await;
    assert!(
        theirs.body.contains("\"recovery_codes_left\":10"),
        "{}",
        theirs.body
    );
    assert_eq!(
        app.call("security", None, "").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_user_keeps_at_most_ten_pending_sign_ins() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    set_up_app(&app, &admin).await;
    let cookies = pending(&app, ADMIN, 12).await;
    let kept: i64 = query("SELECT COUNT(*) FROM pending_sign_ins")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(kept, 10);
    // Two ended (the oldest; within one second, any two): their code step says to sign
    // in again, where the others' say the code is wrong.
    let mut ended = 0;
    for cookie in &cookies {
        let reply = app
            .post_form("/login/two-factor", Some(cookie), "code=123456")
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        ended += usize::from(reply.body.contains("Sign in again"));
    }
    assert_eq!(ended, 2);
}

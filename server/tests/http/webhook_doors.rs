//! Webhooks' doors through the real router: the addresses only the server could reach and
//! bad input refused with a reason (422, 400), at most 10 endpoints, and only an account's
//! administrators reaching its endpoints.

use super::harness::{TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use super::webhooks::{add, added, parsed};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn addresses_only_the_server_can_reach_are_refused_and_bad_input_is_explained() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    for (url, says) in [
        ("http://10.0.0.7/hook", "private network"),
        ("https://169.254.169.254/latest", "cloud metadata"),
        ("https://[::1]:8443/", "loopback"),
        ("http://127.0.0.2:9/", "loopback"),
        ("https://[::ffff:10.0.0.1]/", "private network"),
        ("ftp://hooks.example.com/", "https://"),
        ("https://user:pw@hooks.example.com/", "user names"),
        ("", "Enter the endpoint's URL"),
    ] {
        let reply = add(&app, &admin, url, &["token.created"]).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{url}: {}",
            reply.body
        );
        assert!(reply.body.contains(says), "{url}: {}", reply.body);
    }
    let no_events = add(&app, &admin, "http://127.0.0.1:9/", &[]).await;
    assert_eq!(no_events.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_events.body.contains("at least one event"),
        "{}",
        no_events.body
    );
    let unknown = add(&app, &admin, "http://127.0.0.1:9/", &["token.renamed"]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    // At most 10.
    for n in 0..10 {
        added(
            &app,
            &admin,
            &format!("http://127.0.0.1:9/{n}"),
            &["token.created"],
        )
        .await;
    }
    let eleventh = add(&app, &admin, "http://127.0.0.1:9/11", &["token.created"]).await;
    assert_eq!(eleventh.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(eleventh.body.contains("at most 10"), "{}", eleventh.body);
    for (body, endpoint) in [
        ("id=abc", "get_webhook"),
        ("id=", "delete_webhook"),
        ("id=1&enabled=maybe", "set_webhook_enabled"),
        ("id=1&message=x", "resend_webhook"),
    ] {
        let reply = app.call(endpoint, Some(&admin), body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{endpoint} {body}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn only_account_administrators_reach_webhooks_and_only_their_own_accounts() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let (id, _) = added(&app, &admin, "http://127.0.0.1:9/hook", &["token.created"]).await;
    for email in [SPECIALIST, ANALYST, FINANCE] {
        let cookie = app.sign_in(email).await;
        let id = format!("id={id}");
        for (endpoint, body) in [
            ("list_webhooks", ""),
            ("get_webhook", id.as_str()),
            ("rotate_webhook_secret", id.as_str()),
            ("delete_webhook", id.as_str()),
            ("send_test_webhook", id.as_str()),
        ] {
            let reply = app.call(endpoint, Some(&cookie), body).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email} {endpoint}");
        }
        let reply = add(&app, &cookie, "http://127.0.0.1:9/x", &["token.created"]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email} add");
    }
    let unsigned = app.call("list_webhooks", None, "").await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    let theirs = app.second_account_admin().await;
    let id = format!("id={id}");
    for endpoint in [
        "get_webhook",
        "rotate_webhook_secret",
        "delete_webhook",
        "send_test_webhook",
    ] {
        let reply = app.call(endpoint, Some(&theirs), &id).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{endpoint}");
    }
    let list = parsed(&app.call("list_webhooks", Some(&theirs), "").await);
    assert_eq!(list["endpoints"], json!([]));
    // Their token events never reach our endpoint.
    app.make_token_for(&theirs, "Birch feed", "boss@birch.test")
        .await;
    let queued: i64 = query("SELECT COUNT(*) FROM webhook_messages")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(queued, 0);
}

#[tokio::test]
async fn adds_at_once_never_pass_the_limit() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    for n in 0..8 {
        added(
            &app,
            &admin,
            &format!("http://127.0.0.1:9/{n}"),
            &["token.created"],
        )
        .await;
    }
    // Two left: four administrators' tabs add at once; two win, two are told the limit.
    let one = |n: u16| {
        let (app, admin) = (&app, &admin);
        async move {
            add(
                app,
                admin,
                &format!("http://127.0.0.1:9/at-once-{n}"),
                &["token.created"],
            )
            .await
        }
    };
    let (a, b, c, d) = tokio::join!(one(1), one(2), one(3), one(4));
    let mut statuses: Vec<u16> = [a, b, c, d].iter().map(|r| r.status.as_u16()).collect();
    statuses.sort();
    assert_eq!(statuses, [200, 200, 422, 422]);
    let count: i64 = query("SELECT COUNT(*) FROM webhook_endpoints")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 10);
}

//! `POST /oauth/introspect` (RFC 7662): the key, each inactive reason, the active answer,
//! and the per-key limit.

use super::harness::{TestApp, ADMIN, INTROSPECTION_KEY, LIMITS};
use http::StatusCode;
use serde_json::{json, Value};

async fn introspect(app: &TestApp, key: Option<&str>, form: &str) -> super::harness::Reply {
    app.introspect_with(key, form).await
}

fn body(reply: &super::harness::Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn a_usable_token_is_described() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Introspected").await;
    app.set_api_access(&cookie, true).await;
    let reply = introspect(
        &app,
        Some(INTROSPECTION_KEY),
        &format!("token={}", token.secret),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = body(&reply);
    assert_eq!(answer["active"], true);
    assert_eq!(answer["scope"], "actions:get reports:get");
    assert_eq!(answer["sid"], token.sid.as_str());
    assert_eq!(answer["account"], app.account_sid().await.as_str());
    assert_eq!(answer["api_version"], 12);
    assert!(answer["iat"].as_i64().unwrap() > 1_700_000_000);
    assert!(!reply.body.contains(&token.secret));
}

#[tokio::test]
async fn anything_unusable_is_only_inactive() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Introspected").await;
    let inactive = json!({ "active": false });
    let check = |secret: String| {
        let app = &app;
        async move {
            let reply = introspect(app, Some(INTROSPECTION_KEY), &format!("token={secret}")).await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            body(&reply)
        }
    };
    // API access is off at first.
    assert_eq!(check(token.secret.clone()).await, inactive);
    app.set_api_access(&cookie, true).await;
    assert_eq!(check(token.secret.clone()).await["active"], true);
    assert_eq!(check("garbage".into()).await, inactive);
    let unknown = app::domain::TokenSecret::from_random(&"k".repeat(30)).unwrap();
    assert_eq!(check(unknown.expose().to_string()).await, inactive);
    app.change(
        &cookie,
        &token.sid,
        json!({ "SetEnabled": { "enabled": false } }),
    )
    .await;
    assert_eq!(check(token.secret.clone()).await, inactive);
    app.change(
        &cookie,
        &token.sid,
        json!({ "SetEnabled": { "enabled": true } }),
    )
    .await;
    let reset = app.change(&cookie, &token.sid, json!("Reset")).await;
    let new_secret = body(&reset)["secret"].as_str().unwrap().to_string();
    assert_eq!(check(token.secret.clone()).await, inactive);
    assert_eq!(check(new_secret.clone()).await["active"], true);
    app.change(&cookie, &token.sid, json!("Delete")).await;
    assert_eq!(check(new_secret).await, inactive);
}

#[tokio::test]
async fn the_key_is_required() {
    let app = TestApp::new().await;
    for key in [None, Some("wrong-key-wrong-key"), Some("")] {
        let reply = introspect(&app, key, "token=x").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{key:?}");
        assert_eq!(reply.header("www-authenticate"), "Bearer");
    }
    let missing = introspect(&app, Some(INTROSPECTION_KEY), "").await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn without_a_configured_key_introspection_is_off() {
    let app = TestApp::without_introspection().await;
    let reply = introspect(&app, Some(INTROSPECTION_KEY), "token=x").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("TOKENSMITH_INTROSPECTION_KEY"));
}

#[tokio::test]
async fn calls_per_key_are_limited() {
    let app = TestApp::new().await;
    for _ in 0..LIMITS.introspections_per_minute {
        let reply = introspect(&app, Some(INTROSPECTION_KEY), "token=x").await;
        assert_eq!(reply.status, StatusCode::OK);
    }
    let limited = introspect(&app, Some(INTROSPECTION_KEY), "token=x").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(!limited.header("retry-after").is_empty());
}

/// Errors in RFC 6749 §5.2's shape, with codes a standard client branches on.
#[tokio::test]
async fn errors_are_oauth_errors() {
    let app = TestApp::new().await;
    for (key, form, status, code) in [
        (Some(INTROSPECTION_KEY), "", 400, "invalid_request"),
        (Some(INTROSPECTION_KEY), "token=", 400, "invalid_request"),
        (
            Some(INTROSPECTION_KEY),
            "token_type_hint=access_token",
            400,
            "invalid_request",
        ),
        (
            Some(INTROSPECTION_KEY),
            "token=tsm_x&token_type_hint=refresh_token",
            400,
            "unsupported_token_type",
        ),
        (
            Some("not-the-key-0123456789"),
            "token=tsm_x",
            401,
            "invalid_client",
        ),
        (None, "token=tsm_x", 401, "invalid_client"),
    ] {
        let reply = introspect(&app, key, form).await;
        assert_eq!(reply.status.as_u16(), status, "{form}: {}", reply.body);
        let answer = body(&reply);
        assert_eq!(answer["error"], code, "{form}");
        assert!(answer["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()));
        assert!(answer.get("status").is_none(), "{answer}");
        assert_eq!(reply.header("cache-control"), "no-store");
    }
    // An unknown hint is ignored (RFC 7009 §2.1 and RFC 7662 allow it).
    let ignored = introspect(
        &app,
        Some(INTROSPECTION_KEY),
        "token=tsm_x&token_type_hint=anything",
    )
    .await;
    assert_eq!(ignored.status, StatusCode::OK);
    assert_eq!(body(&ignored), json!({ "active": false }));
}

//! Tokens that govern themselves: expiration and IP allowlists, on the sandbox API and
//! introspection (revocation by the holder: `token_revocation`; the account's policy:
//! `token_policy`).

use super::harness::{basic, Reply, TestApp, ADMIN};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

pub(super) const DAY: i64 = 86_400;

pub(super) fn now() -> i64 {
    app::ssr::now()
}

/// A draft with the given extra fields (expiration, allowed IPs).
pub(super) async fn create(app: &TestApp, cookie: &str, name: &str, extra: Value) -> Reply {
    let mut overrides =
        json!({ "api_version": 13, "developer_emails": [], "scopes": ["actions:get"] });
    for (key, value) in extra.as_object().unwrap() {
        overrides[key] = value.clone();
    }
    let draft = app.review_draft(name, overrides).await;
    app.call_json("create_token", Some(cookie), &json!({ "draft": draft }))
        .await
}

pub(super) fn created(reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    (
        body["sid"].as_str().unwrap().to_string(),
        body["secret"].as_str().unwrap().to_string(),
    )
}

pub(super) async fn introspect(app: &TestApp, secret: &str) -> Value {
    app.introspect(secret).await
}

pub(super) async fn expires_at(app: &TestApp, sid: &str) -> Option<i64> {
    query("SELECT expires_at FROM tokens WHERE sid = $1")
        .bind(sid)
        .scalar(&app.pool)
        .await
        .unwrap()
}

pub(super) async fn actions(app: &TestApp, sid: &str, secret: &str) -> Reply {
    let account = app.account_sid().await;
    app.api(
        "GET",
        &format!("/Advertisers/{account}/Actions"),
        Some(&basic(sid, secret)),
        &[],
        "",
    )
    .await
}

#[tokio::test]
async fn a_token_expires_when_chosen_and_then_authenticates_nowhere() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let before = now();
    let reply = create(
        &app,
        &cookie,
        "Thirty days",
        json!({ "expiration": { "Days": 30 } }),
    )
    .await;
    let (sid, secret) = created(&reply);
    let at = expires_at(&app, &sid).await.expect("an expiry");
    assert!((before + 30 * DAY..=now() + 30 * DAY).contains(&at));
    let answer = introspect(&app, &secret).await;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["exp"], at);
    assert_eq!(actions(&app, &sid, &secret).await.status, StatusCode::OK);

    // The clock passes the expiry (the cache keeps a token as it was read).
    query("UPDATE tokens SET expires_at = $1 WHERE sid = $2")
        .bind(now() - 1)
        .bind(&sid)
        .execute(&app.pool)
        .await
        .unwrap();
    app.api.tokens.forget_all();
    let refused = actions(&app, &sid, &secret).await;
    let wrong = actions(&app, &sid, "tsm_000000000000000000000000000000000000").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.body, wrong.body,
        "the same answer as any bad credential"
    );
    assert_eq!(introspect(&app, &secret).await, json!({ "active": false }));
}

#[tokio::test]
async fn never_and_dates_are_stored_as_chosen() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let (never, secret) =
        created(&create(&app, &cookie, "Forever", json!({ "expiration": "Never" })).await);
    assert_eq!(expires_at(&app, &never).await, None);
    app.set_api_access(&cookie, true).await;
    assert!(introspect(&app, &secret).await.get("exp").is_none());
    let date = app::domain::expiration::format_date(now() + 40 * DAY);
    let on_date =
        json!({ "expiration": { "OnDate": { "date": date, "utc_offset_minutes": -60 } } });
    let (sid, _) = created(&create(&app, &cookie, "On a date", on_date).await);
    let at = expires_at(&app, &sid).await.unwrap();
    assert_eq!(at % DAY, DAY - 3600, "midnight at UTC+1 is 23:00 UTC");
    // The draft's default is 90 days.
    let (sid, _) = created(&create(&app, &cookie, "Default", json!({})).await);
    let at = expires_at(&app, &sid).await.unwrap();
    assert!((at - now() - 90 * DAY).abs() < 60);
}

#[tokio::test]
async fn the_account_policy_refuses_what_it_does_not_allow_with_422() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    query("UPDATE accounts SET max_token_lifetime_days = 60, allow_never_expiring = FALSE")
        .execute(&app.pool)
        .await
        .unwrap();
    for (name, expiration, problem) in [
        (
            "Never",
            json!("Never"),
            "This account requires tokens to expire: choose a lifetime or a date.",
        ),
        (
            "Ninety",
            json!({ "Days": 90 }),
            "This account's tokens live at most 60 days: choose ",
        ),
    ] {
        let reply = create(&app, &cookie, name, json!({ "expiration": expiration })).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(super::harness::error_fields(&reply.body), ["Expiration"]);
        assert!(reply.body.contains(problem), "{}", reply.body);
    }
    let reply = create(
        &app,
        &cookie,
        "Sixty",
        json!({ "expiration": { "Days": 60 } }),
    )
    .await;
    created(&reply);
}

#[tokio::test]
async fn an_allowlist_admits_its_addresses_and_names_the_caller_it_refuses() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let fenced = json!({ "allowed_ips": "203.0.113.0/24\n2001:db8::/32" });
    let (sid, secret) = created(&create(&app, &cookie, "Fenced", fenced).await);
    let account = app.account_sid().await;
    let path = format!("/Advertisers/{account}/Actions");
    let auth = basic(&sid, &secret);
    let inside = app.api_from("203.0.113.9:5000", &path, &auth).await;
    assert_eq!(inside.status, StatusCode::OK, "{}", inside.body);
    let inside6 = app.api_from("[2001:db8::7]:5000", &path, &auth).await;
    assert_eq!(inside6.status, StatusCode::OK);
    let outside = app.api_from("198.51.100.4:5000", &path, &auth).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    assert!(outside.body.contains("198.51.100.4"), "{}", outside.body);
    let unknown = actions(&app, &sid, &secret).await;
    assert_eq!(
        unknown.status,
        StatusCode::FORBIDDEN,
        "no address, no entry"
    );
    let answer = introspect(&app, &secret).await;
    assert_eq!(
        answer["active"], true,
        "introspection leaves enforcement to the caller"
    );
    assert_eq!(
        answer["allowed_ips"],
        json!(["203.0.113.0/24", "2001:db8::/32"])
    );
}

#[tokio::test]
async fn a_bad_allowlist_is_refused_beside_its_field() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    for list in ["10.0.0.1/33", "::1/129", "10.0.0.1 10.0.0.1", "example.com"] {
        let reply = create(&app, &cookie, "Bad list", json!({ "allowed_ips": list })).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{list}");
        assert_eq!(
            super::harness::error_fields(&reply.body),
            ["AllowedIps"],
            "{list}"
        );
    }
    let many: Vec<String> = (0..51).map(|i| format!("10.0.0.{i}")).collect();
    let reply = create(
        &app,
        &cookie,
        "Too many",
        json!({ "allowed_ips": many.join(" ") }),
    )
    .await;
    assert!(
        reply
            .body
            .contains("At most 50 addresses or ranges (this list has 51)."),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn the_allowlist_is_edited_on_the_token_and_applies_at_the_next_call() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Fenced later").await;
    let account = app.account_sid().await;
    let path = format!("/Advertisers/{account}/Actions");
    let auth = basic(&token.sid, &token.secret);
    let from = |client: &'static str| {
        let (app, path, auth) = (&app, path.clone(), auth.clone());
        async move { app.api_from(client, &path, &auth).await.status }
    };
    assert_eq!(from("198.51.100.4:1").await, StatusCode::OK);
    let bad = app
        .change(
            &cookie,
            &token.sid,
            json!({ "AllowedIps": { "allowed_ips": "10.0.0.1/33" } }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(super::harness::error_fields(&bad.body), ["AllowedIps"]);
    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "AllowedIps": { "allowed_ips": "203.0.113.0/24" } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        from("198.51.100.4:1").await,
        StatusCode::FORBIDDEN,
        "the cache saw the change"
    );
    assert_eq!(from("203.0.113.8:1").await, StatusCode::OK);
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["allowed_ips"], json!(["203.0.113.0/24"]));
    assert_eq!(
        detail["history"][0]["summary"],
        "Changed the allowed IP addresses"
    );
    // Emptied: anywhere again.
    app.change(
        &cookie,
        &token.sid,
        json!({ "AllowedIps": { "allowed_ips": "" } }),
    )
    .await;
    assert_eq!(from("198.51.100.4:1").await, StatusCode::OK);
}

//! The account's token policy: who sets it, what it refuses, and the tokens it doesn't cut
//! short.

use super::harness::{Reply, TestApp, ADMIN};
use super::token_governance::{create, created, introspect};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

async fn set_policy(app: &TestApp, cookie: &str, form: &str) -> Reply {
    app.call("set_token_policy", Some(cookie), form).await
}

#[tokio::test]
async fn only_the_account_administrator_sets_the_policy() {
    let app = TestApp::new().await;
    for (email, status) in [
        (super::harness::SPECIALIST, StatusCode::FORBIDDEN),
        (super::harness::ANALYST, StatusCode::FORBIDDEN),
        (super::harness::FINANCE, StatusCode::FORBIDDEN),
        (ADMIN, StatusCode::OK),
    ] {
        let cookie = app.sign_in(email).await;
        let reply = set_policy(&app, &cookie, "max_lifetime=90").await;
        assert_eq!(reply.status, status, "{email}: {}", reply.body);
    }
    let stored: (Option<i64>, bool) =
        query("SELECT max_token_lifetime_days, allow_never_expiring FROM accounts WHERE name = 'Acme Outdoor'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, (Some(90), false));
    let cookie = app.sign_in(ADMIN).await;
    for bad in ["max_lifetime=7", "max_lifetime=x", "max_lifetime=-1"] {
        let reply = set_policy(&app, &cookie, bad).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let events: i64 =
        query("SELECT COUNT(*) FROM audit_events WHERE action = 'token_policy_changed'")
            .scalar(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        events, 1,
        "one change, audited once; refusals write nothing"
    );
}

#[tokio::test]
async fn a_policy_lists_the_tokens_it_does_not_cut_short_and_bounds_new_ones() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let (forever, secret) =
        created(&create(&app, &cookie, "Forever", json!({ "expiration": "Never" })).await);
    let (short, _) = created(
        &create(
            &app,
            &cookie,
            "Short",
            json!({ "expiration": { "Days": 30 } }),
        )
        .await,
    );
    // A plain form post, as the API page's form sends it without JavaScript.
    let referer = format!("http://{}/settings/api", super::harness::HOST);
    let browser = [
        ("sec-fetch-site", "same-origin"),
        ("accept", "text/html"),
        ("referer", referer.as_str()),
    ];
    let reply = app
        .post_with(
            "/api/set_token_policy",
            Some(&cookie),
            "max_lifetime=60",
            &browser,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    let settings: Value =
        serde_json::from_str(&app.call("api_settings", Some(&cookie), "").await.body).unwrap();
    assert_eq!(
        settings["token_policy"],
        json!({ "max_lifetime_days": 60, "allow_never": false })
    );
    let beyond: Vec<&str> = settings["beyond_policy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["sid"].as_str().unwrap())
        .collect();
    assert_eq!(beyond, [forever.as_str()], "{short} is within 60 days");
    // Not cut short: the old token still works.
    app.set_api_access(&cookie, true).await;
    assert_eq!(introspect(&app, &secret).await["active"], true);
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert!(page.body.contains("Tokens live at most 60 days."));
    assert!(page.body.contains("Forever"));
    // New tokens: within the policy.
    let reply = create(
        &app,
        &cookie,
        "Ninety",
        json!({ "expiration": { "Days": 90 } }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A refused plain post says why in words.
    let reply = app
        .post_with(
            "/api/set_token_policy",
            Some(&cookie),
            "max_lifetime=7",
            &browser,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .starts_with("Choose a maximum of 30, 60, 90, 180 or 365 days"),
        "{}",
        reply.body
    );
}

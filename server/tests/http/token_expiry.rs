//! Expiry warnings (a week and a day before, each exactly once, even when several
//! instances look at once) and **Renew** (a new expiration, the same secret).

use super::harness::{TestApp, ADMIN};
use app::ssr::db::engine::query;
use app::ssr::db::expiry_warnings::queue_due;
use http::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

async fn expire_in(app: &TestApp, sid: &str, seconds: i64) {
    query("UPDATE tokens SET expires_at = $1 WHERE sid = $2")
        .bind(app::ssr::now() + seconds)
        .bind(sid)
        .execute(&app.pool)
        .await
        .unwrap();
    app.api.tokens.forget_all();
}

async fn warnings(app: &TestApp, sid: &str) -> Vec<String> {
    query(
        "SELECT n.subject FROM notifications n JOIN tokens t ON t.id = n.token_id
         WHERE t.sid = $1 AND n.subject LIKE '%expires within%' ORDER BY n.id",
    )
    .bind(sid)
    .scalars(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn each_warning_is_queued_once_to_each_contact() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Ending").await;
    let now = app::ssr::now();
    // 90 days left: nothing due.
    assert_eq!(queue_due(&app.pool, now).await.unwrap(), 0);
    expire_in(&app, &token.sid, 6 * DAY).await;
    // Several instances (or restarts) looking at once: one of them warns.
    let pool = &app.pool;
    let (a, b, c) = tokio::join!(
        queue_due(pool, now),
        queue_due(pool, now),
        queue_due(pool, now)
    );
    assert_eq!(a.unwrap() + b.unwrap() + c.unwrap(), 1);
    assert_eq!(queue_due(pool, now).await.unwrap(), 0);
    let week = "API access token \"Ending\": expires within 7 days";
    assert_eq!(
        warnings(&app, &token.sid).await,
        [week, week],
        "primary contact and developer"
    );

    expire_in(&app, &token.sid, DAY / 2).await;
    let (a, b) = tokio::join!(queue_due(pool, now), queue_due(pool, now));
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let day = "API access token \"Ending\": expires within a day";
    assert_eq!(warnings(&app, &token.sid).await, [week, week, day, day]);
    assert_eq!(queue_due(pool, now).await.unwrap(), 0);
}

#[tokio::test]
async fn a_token_close_to_its_end_gets_only_the_days_warning() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Soon").await;
    expire_in(&app, &token.sid, 3600).await;
    assert_eq!(queue_due(&app.pool, app::ssr::now()).await.unwrap(), 1);
    let subjects = warnings(&app, &token.sid).await;
    assert_eq!(subjects.len(), 2);
    assert!(subjects.iter().all(|s| s.ends_with("expires within a day")));
}

#[tokio::test]
async fn an_expired_token_is_renewed_with_its_own_secret_and_warned_again() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Renewed").await;
    expire_in(&app, &token.sid, DAY / 2).await;
    queue_due(&app.pool, app::ssr::now()).await.unwrap();
    expire_in(&app, &token.sid, -60).await;
    let introspect = |secret: String| {
        let app = &app;
        async move { app.introspect(&secret).await }
    };
    assert_eq!(introspect(token.secret.clone()).await["active"], false);

    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Renew": { "expiration": { "Days": 30 } } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let answer = introspect(token.secret.clone()).await;
    assert_eq!(answer["active"], true, "the same secret works again");
    let exp = answer["exp"].as_i64().unwrap();
    assert!((exp - app::ssr::now() - 30 * DAY).abs() < 60);
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["history"][0]["summary"], "Renewed the token");
    assert_eq!(detail["expiry"]["label"], "Expires in 30 days");
    // The new end gets its own warnings.
    expire_in(&app, &token.sid, DAY / 2).await;
    assert_eq!(queue_due(&app.pool, app::ssr::now()).await.unwrap(), 1);

    // Within the account's policy, like creation.
    query("UPDATE accounts SET max_token_lifetime_days = 30, allow_never_expiring = FALSE")
        .execute(&app.pool)
        .await
        .unwrap();
    for expiration in [json!("Never"), json!({ "Days": 60 })] {
        let reply = app
            .change(
                &cookie,
                &token.sid,
                json!({ "Renew": { "expiration": expiration } }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert_eq!(super::harness::error_fields(&reply.body), ["Expiration"]);
    }
}

#[tokio::test]
async fn the_list_filters_expired_tokens_apart() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let live = app.make_token(&cookie, "Still live").await;
    let gone = app.make_token(&cookie, "Gone by").await;
    expire_in(&app, &gone.sid, -1).await;
    let names = |list: Value| super::harness::names(&list);
    assert_eq!(
        names(app.list(&cookie, json!({ "state": "Expired" })).await),
        ["Gone by"]
    );
    assert_eq!(
        names(app.list(&cookie, json!({ "state": "Enabled" })).await),
        ["Still live"],
        "an expired token is not usable, so not Enabled"
    );
    let all = app.list(&cookie, json!({})).await;
    assert_eq!(all["cards"][0]["name"], "Gone by");
    assert_eq!(all["cards"][0]["expiry"]["expired"], true);
    // Disabled and expired: Expired, as its card says, not Disabled.
    app.change(
        &cookie,
        &gone.sid,
        json!({ "SetEnabled": { "enabled": false } }),
    )
    .await;
    app.change(
        &cookie,
        &live.sid,
        json!({ "SetEnabled": { "enabled": false } }),
    )
    .await;
    assert_eq!(
        names(app.list(&cookie, json!({ "state": "Disabled" })).await),
        ["Still live"]
    );
    let page = app.get("/settings/api?state=expired", Some(&cookie)).await;
    assert!(page.body.contains("Gone by") && !page.body.contains("Still live"));
    assert!(
        page.body.contains(r#"class="state expired""#),
        "the card says Expired"
    );
}

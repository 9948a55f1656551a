//! Token usage through the real router: sandbox calls counted exactly under concurrency,
//! written by the flush (twice adds, never doubles), and shown on the token page.

use super::harness::{basic, TestApp, ADMIN};
use http::StatusCode;
use serde_json::Value;

async fn usage(app: &TestApp, cookie: &str, sid: &str) -> Value {
    let detail = app.detail(cookie, sid).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let detail: Value = serde_json::from_str(&detail.body).unwrap();
    detail["usage"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_are_counted_exactly_and_shown_on_the_token_page() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let made = app.make_token(&admin, "Counted").await;
    let account = app.account_sid().await;
    let authorization = basic(&made.sid, &made.secret);
    let reports = format!("/Advertisers/{account}/Reports");
    let orders = format!("/Advertisers/{account}/Ads");
    // 100 allowed and 20 refused calls, all at once on four threads.
    let tasks: Vec<_> = (0..120)
        .map(|i| {
            let (app, authorization) = (app.clone(), authorization.clone());
            let path = if i % 6 == 5 {
                orders.clone()
            } else {
                reports.clone()
            };
            tokio::spawn(async move {
                let agent = [("user-agent", "usage-test/1.0")];
                app.api("GET", &path, Some(&authorization), &agent, "")
                    .await
                    .status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        100
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::FORBIDDEN)
            .count(),
        20
    );
    // A wrong secret names no token: not counted against it.
    let wrong = basic(&made.sid, "tsm_wrong");
    assert_eq!(
        app.api("GET", &reports, Some(&wrong), &[], "").await.status,
        StatusCode::UNAUTHORIZED
    );

    // Nothing is written before the flush.
    let before = usage(&app, &admin, &made.sid).await;
    assert_eq!(total(&before, "allowed"), 0);
    assert!(before["last_address"].is_null());

    app.api.usage.flush(&app.pool).await.unwrap();
    let after = usage(&app, &admin, &made.sid).await;
    assert_eq!(after["days"].as_array().unwrap().len(), 30);
    // Summed over the days, so a run across midnight UTC counts the same.
    assert_eq!(total(&after, "allowed"), 100);
    assert_eq!(total(&after, "refused"), 20);
    assert_eq!(after["last_user_agent"], "usage-test/1.0");
    assert!(after["last_address"].is_string());
    assert_eq!(after["unused_scopes"], serde_json::json!(["actions:get"]));

    // A second flush adds what came since, and nothing twice.
    for _ in 0..5 {
        app.api("GET", &reports, Some(&authorization), &[], "")
            .await;
    }
    app.api.usage.flush(&app.pool).await.unwrap();
    app.api.usage.flush(&app.pool).await.unwrap();
    let again = usage(&app, &admin, &made.sid).await;
    assert_eq!(total(&again, "allowed"), 105);
    assert!(
        again["last_user_agent"].is_null(),
        "the last call sent none"
    );

    let page = app
        .get(&format!("/settings/api/tokens/{}", made.sid), Some(&admin))
        .await;
    assert!(page
        .body
        .contains("105 allowed, 20 refused and 0 limited requests in the last 30 days."));
    assert!(page.body.contains("<svg"));
    assert!(page.body.contains("Requests per day (UTC)"));
    // Made seconds ago: today, or yesterday should midnight UTC have passed meanwhile.
    assert!(["today", "yesterday"].iter().any(|day| page
        .body
        .contains(&format!("Scopes not used since it was created {day}:"))));
}

/// `field` summed over the usage's 30 days.
fn total(usage: &Value, field: &str) -> i64 {
    usage["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|day| day[field].as_i64().unwrap())
        .sum()
}

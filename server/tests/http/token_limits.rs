//! Tokens' limits through the real router: set in the wizard and on the token page, applied
//! by the sandbox with the draft's `RateLimit-Policy` and `RateLimit` fields, refused with
//! 429 (or 403 for a quota never refilled), exact under concurrency, counted as "limited",
//! and refilled at the UTC boundary (a test clock).

use super::harness::{basic, error_fields, names, Reply, TestApp, ADMIN};
use http::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;

/// 2027-01-31 23:59:58 UTC.
const TWO_SECONDS_TO_FEBRUARY: i64 = 1_801_439_998;

/// A token with `limits` (the wizard's form) and API access on; its Basic credentials.
pub async fn limited(app: &TestApp, admin: &str, name: &str, limits: Value) -> (String, String) {
    let draft = app.review_draft(name, json!({ "limits": limits })).await;
    let reply = app
        .call_json("create_token", Some(admin), &json!({ "draft": draft }))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let created: Value = serde_json::from_str(&reply.body).unwrap();
    let sid = created["sid"].as_str().unwrap().to_string();
    let secret = created["secret"].as_str().unwrap();
    (sid.clone(), basic(&sid, secret))
}

/// The Auth Token inside Basic credentials.
fn made_secret(authorization: &str) -> String {
    use base64::Engine;
    let encoded = authorization.strip_prefix("Basic ").unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    let text = String::from_utf8(decoded).unwrap();
    text.split_once(':').unwrap().1.to_string()
}

fn rate(requests: &str, per: &str) -> Value {
    json!({ "rate_requests": requests, "rate_per": per, "quota_calls": "", "quota_refill": "monthly" })
}

pub fn quota(calls: &str, refill: &str) -> Value {
    json!({ "rate_requests": "", "rate_per": "minute", "quota_calls": calls, "quota_refill": refill })
}

pub async fn call(app: &TestApp, authorization: &str) -> Reply {
    let account = app.account_sid().await;
    let path = format!("/Advertisers/{account}/Reports");
    app.api("GET", &path, Some(authorization), &[], "").await
}

fn problem(reply: &Reply) -> Value {
    assert_eq!(reply.header("content-type"), "application/problem+json");
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(
        body["type"],
        "https://iana.org/assignments/http-problem-types#quota-exceeded"
    );
    assert_eq!(body["status"], reply.status.as_u16());
    assert_eq!(body["error"], body["detail"]);
    body
}

async fn detail(app: &TestApp, admin: &str, sid: &str) -> Value {
    let reply = app.detail(admin, sid).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn a_rate_limit_refuses_the_call_past_it_until_its_window_turns() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let (sid, authorization) = limited(&app, &admin, "Paced", rate("3", "minute")).await;
    // 20 seconds into a minute.
    app.api.clock.set(1_800_000_020);
    for left in [2, 1, 0] {
        let reply = call(&app, &authorization).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.header("ratelimit-policy"), r#""rate";q=3;w=60"#);
        assert_eq!(
            reply.header("ratelimit"),
            format!(r#""rate";r={left};t=40"#)
        );
    }
    let refused = call(&app, &authorization).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.header("retry-after"), "40");
    assert_eq!(refused.header("ratelimit"), r#""rate";r=0;t=40"#);
    let body = problem(&refused);
    assert_eq!(body["violated-policies"], json!(["rate"]));
    assert_eq!(body["title"], "Rate limit reached");
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("3 requests per minute"));

    let introspected = app.introspect(&made_secret(&authorization)).await;
    assert_eq!(
        introspected["rate_limit"],
        json!({ "requests": 3, "per": "minute" })
    );
    assert!(introspected.get("quota_remaining").is_none());

    // A call its scopes refuse carries the fields as they stand, and spends nothing.
    let account = app.account_sid().await;
    let forbidden = app
        .api(
            "GET",
            &format!("/Advertisers/{account}/Ads"),
            Some(&authorization),
            &[],
            "",
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert_eq!(forbidden.header("ratelimit"), r#""rate";r=0;t=40"#);

    // The next minute starts afresh.
    app.api.clock.set(1_800_000_060);
    assert_eq!(call(&app, &authorization).await.status, StatusCode::OK);

    // The refused call is counted as limited, apart from those allowed and refused.
    app.api.usage.flush(&app.pool).await.unwrap();
    let usage = &detail(&app, &admin, &sid).await["usage"];
    let sum = |key: &str| -> u64 {
        usage["days"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d[key].as_u64().unwrap())
            .sum()
    };
    assert_eq!((sum("allowed"), sum("refused"), sum("limited")), (4, 1, 1));
    let page = app
        .get(&format!("/settings/api/tokens/{sid}"), Some(&admin))
        .await;
    assert!(page
        .body
        .contains("4 allowed, 1 refused and 1 limited requests in the last 30 days."));
}

#[tokio::test]
async fn a_quota_refuses_the_very_next_call_and_refills_at_utc_midnight() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let (_, authorization) = limited(&app, &admin, "Daily", quota("2", "daily")).await;
    app.api.clock.set(TWO_SECONDS_TO_FEBRUARY);
    for left in [1, 0] {
        let reply = call(&app, &authorization).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(reply.header("ratelimit-policy"), r#""quota";q=2;w=86400"#);
        assert_eq!(
            reply.header("ratelimit"),
            format!(r#""quota";r={left};t=2"#)
        );
    }
    let refused = call(&app, &authorization).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.header("retry-after"), "2");
    let body = problem(&refused);
    assert_eq!(body["violated-policies"], json!(["quota"]));
    assert_eq!(body["refills_at"], "2027-02-01T00:00:00Z");
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("2 calls a day (UTC) is spent. It refills on 2027-02-01 00:00 UTC."));

    // At midnight UTC the quota is full again.
    app.api.clock.set(TWO_SECONDS_TO_FEBRUARY + 2);
    let reply = call(&app, &authorization).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("ratelimit"), r#""quota";r=1;t=86400"#);
}

#[tokio::test]
async fn a_quota_never_refilled_is_refused_for_good_until_raised_on_the_token_page() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let (sid, authorization) = limited(&app, &admin, "Once", quota("1", "none")).await;
    assert_eq!(call(&app, &authorization).await.status, StatusCode::OK);
    let refused = call(&app, &authorization).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.headers.get("retry-after").is_none());
    assert_eq!(refused.header("ratelimit-policy"), r#""quota";q=1"#);
    assert_eq!(refused.header("ratelimit"), r#""quota";r=0"#);
    let body = problem(&refused);
    assert!(body["refills_at"].is_null());
    assert!(body["detail"].as_str().unwrap().contains("never refilled"));

    // Its contacts were told at 90 % and when it was spent, once each, in its history too.
    let shown = detail(&app, &admin, &sid).await;
    let summaries: Vec<&str> = shown["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries[..2],
        [
            "Spent its quota: calls refused until it refills",
            "Used 90 % of its quota"
        ]
    );
    assert_eq!(shown["history"][0]["actor"], "Its calls (the quota)");
    assert!(shown["history"][0]["details"]
        .to_string()
        .contains("Refills: Never"));
    let subjects: Vec<&str> = shown["outbox"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["subject"].as_str().unwrap())
        .filter(|s| s.contains("quota"))
        .collect();
    // To the primary contact and the developer email, each once.
    assert_eq!(subjects.len(), 4, "{subjects:?}");
    assert_eq!(
        subjects
            .iter()
            .filter(|s| s.ends_with(": quota spent"))
            .count(),
        2
    );
    assert_eq!(
        call(&app, &authorization).await.status,
        StatusCode::FORBIDDEN
    );
    let again = detail(&app, &admin, &sid).await;
    assert_eq!(again["history"].as_array().unwrap().len(), summaries.len());

    // The token page says what is left, once the lease's spending is reported.
    app.api.quotas.report(&app.pool).await;
    let shown = detail(&app, &admin, &sid).await;
    assert_eq!(shown["quota_use"]["spent"], 1);
    let page = app
        .get(&format!("/settings/api/tokens/{sid}"), Some(&admin))
        .await;
    assert!(page.body.contains("<dt>Remaining"), "{}", page.body);
    assert!(page.body.contains("0 of 1 calls"));
    assert!(page.body.contains("Never refilled."));
    // Introspection tells a resource server the same, as extension members.
    let secret = made_secret(&authorization);
    let introspected = app.introspect(&secret).await;
    assert_eq!(introspected["quota_remaining"], 0);
    assert!(introspected.get("quota_refills_at").is_none());
    assert!(introspected.get("rate_limit").is_none());

    // The list's "Near its quota" filter shows it, and only it.
    app.make_token(&admin, "Unlimited").await;
    let near = app.list(&admin, json!({ "state": "NearQuota" })).await;
    assert_eq!(names(&near), ["Once"]);
    assert_eq!(names(&app.list(&admin, json!({})).await).len(), 2);

    // Raised on the token page: the very next call is allowed, and the call already
    // spent stays spent.
    let change = json!({ "Limits": { "limits": quota("3", "none") } });
    let reply = app.change(&admin, &sid, change).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    // Measured against the new quota, it is not near it any more.
    assert!(names(&app.list(&admin, json!({ "state": "NearQuota" })).await).is_empty());
    for _ in 0..2 {
        assert_eq!(call(&app, &authorization).await.status, StatusCode::OK);
    }
    assert_eq!(
        call(&app, &authorization).await.status,
        StatusCode::FORBIDDEN
    );

    // Taken away: no limit, no fields.
    let none = json!({ "Limits": { "limits": quota("", "none") } });
    assert_eq!(app.change(&admin, &sid, none).await.status, StatusCode::OK);
    let free = call(&app, &authorization).await;
    assert_eq!(free.status, StatusCode::OK);
    assert!(free.headers.get("ratelimit").is_none());
    assert!(free.headers.get("ratelimit-policy").is_none());

    // Both changes are in the token's history, before and after.
    let shown = detail(&app, &admin, &sid).await;
    let history = shown["history"].to_string();
    assert!(history.contains("Changed the limits"), "{history}");
    assert!(
        history.contains("Quota: “1 call in all” → “3 calls in all”"),
        "{history}"
    );
    assert!(
        history.contains("Quota: “3 calls in all” → “None”"),
        "{history}"
    );
}

#[tokio::test]
async fn limits_that_cannot_be_read_are_refused_beside_their_fields() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let bad = json!({ "rate_requests": "0", "rate_per": "minute", "quota_calls": "many", "quota_refill": "monthly" });
    let draft = app
        .review_draft("Bad limits", json!({ "limits": bad }))
        .await;
    let reply = app
        .call_json("create_token", Some(&admin), &json!({ "draft": draft }))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(error_fields(&reply.body), ["RateLimit", "Quota"]);

    let made = app.make_token(&admin, "Unlimited").await;
    let odd_period = json!({ "Limits": { "limits": rate("5", "fortnight") } });
    let reply = app.change(&admin, &made.sid, odd_period).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(error_fields(&reply.body), ["RateLimit"]);
    assert!(
        reply
            .body
            .contains("Choose per second, per minute or per hour."),
        "{}",
        reply.body
    );
    let shown = detail(&app, &admin, &made.sid).await;
    assert_eq!(shown["limits"], json!({ "rate": null, "quota": null }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_never_spend_more_than_the_quota() {
    let app = Arc::new(TestApp::new().await);
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let (sid, authorization) = limited(&app, &admin, "Shared", quota("50", "monthly")).await;
    let tasks: Vec<_> = (0..64)
        .map(|_| {
            let (app, authorization) = (app.clone(), authorization.clone());
            tokio::spawn(async move {
                let mut allowed = 0;
                for _ in 0..2 {
                    match call(&app, &authorization).await.status {
                        StatusCode::OK => allowed += 1,
                        StatusCode::TOO_MANY_REQUESTS => {}
                        other => panic!("{other}"),
                    }
                }
                allowed
            })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        allowed += task.await.unwrap();
    }
    assert_eq!(allowed, 50);
    // Given back at a stop, the unspent calls of the lease return: none here.
    app.api.quotas.give_back_all(&app.pool).await;
    assert_eq!(detail(&app, &admin, &sid).await["quota_use"]["spent"], 50);
}

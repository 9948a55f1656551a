//! Secrets reported by anyone (`POST /secret-scanning/report`): the same 202 whatever was
//! sent, the work done after answering, limited per address.

use super::harness::TestApp;
use super::secret_reports::{count, with_token};
use super::token_governance::actions;
use http::StatusCode;
use serde_json::{json, Value};

/// Waits until the public report's work is done: `sql` counts `expected`.
async fn eventually(app: &TestApp, sql: &'static str, expected: i64) {
    for _ in 0..200 {
        if count(app, sql).await == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("{sql} never became {expected}");
}

#[tokio::test]
async fn anyone_can_report_and_learns_nothing() {
    let app = TestApp::new().await;
    let (cookie, token) = with_token(&app, "Pasted").await;
    let dead = app.make_token(&cookie, "Dead").await;
    let reply = app.change(&cookie, &dead.sid, json!("Delete")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let unknown = app::domain::TokenSecret::from_random(&"q".repeat(30)).unwrap();
    let report = |body: String| {
        let app = &app;
        async move {
            let headers = [("content-type", "application/json")];
            app.api("POST", "/secret-scanning/report", None, &headers, &body)
                .await
        }
    };
    let mut answers = Vec::new();
    for body in [
        json!([{ "token": token.secret, "url": "javascript:alert(1)" }]),
        json!([dead.secret]),
        json!([unknown.expose()]),
        json!(["junk", { "token": "tsm_not-even-close" }, { "token": "x", "url": null }]),
    ] {
        let reply = report(body.to_string()).await;
        answers.push((reply.status, reply.body.replace(char::is_numeric, "n")));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, StatusCode::ACCEPTED);
    eventually(
        &app,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'exposed'",
        1,
    )
    .await;
    let reply = actions(&app, &token.sid, &token.secret).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(
        detail["exposure"]["reporter"],
        "A report to /secret-scanning/report"
    );
    // Anyone's URL is shown as text, never as a link.
    assert_eq!(detail["exposure"]["link"], false);
    for bad in [
        "{",
        "\"tsm\"",
        "[7]",
        "[{\"nope\":true}]",
        "[{\"token\":\"x\",\"url\":3}]",
    ] {
        assert_eq!(
            report(bad.to_string()).await.status,
            StatusCode::BAD_REQUEST
        );
    }
    let many = Value::Array(vec![json!("x"); 101]).to_string();
    assert_eq!(report(many).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn public_reports_are_rate_limited_per_address() {
    let app = TestApp::new().await;
    let limit = super::harness::LIMITS.reports_per_minute as usize;
    let mut statuses = Vec::new();
    for _ in 0..=limit {
        let headers = [("content-type", "application/json")];
        let reply = app
            .api("POST", "/secret-scanning/report", None, &headers, "[]")
            .await;
        statuses.push(reply.status);
    }
    assert!(
        statuses[..limit].iter().all(|s| *s == StatusCode::ACCEPTED),
        "{statuses:?}"
    );
    assert_eq!(statuses[limit], StatusCode::TOO_MANY_REQUESTS);
}

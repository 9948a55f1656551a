//! `/metrics` as Prometheus scrapes it, after real traffic through the router: request
//! counts and latency per route pattern, sandbox and introspection decisions by outcome,
//! sign-ins, deliveries, the outbox, the pool and the build. The recorder is the
//! process's, shared with tests running alongside: counts here are at least what this
//! test caused, gauges exactly this test's database.

use super::harness::{basic, TestApp, ADMIN, INTROSPECTION_KEY, PASSWORD};
use axum::body::Body;
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use server::telemetry::prometheus::{self, Scrape};
use tower::ServiceExt;

async fn scrape(app: &TestApp) -> (String, String) {
    let handle = prometheus::install().unwrap();
    let router = prometheus::router(Scrape {
        handle,
        pool: app.pool.clone(),
    });
    let request = Request::get("/metrics").body(Body::empty()).unwrap();
    let response = router.oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_string();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (kind, String::from_utf8(body.to_vec()).unwrap())
}

/// The value of the series `series` (name and labels exactly as exposed).
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_scrape_counts_what_the_router_answered() {
    prometheus::install().unwrap();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    let wrong = app
        .post_form(
            "/login",
            None,
            &format!("email={ADMIN}&password=not-{PASSWORD}"),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    app.set_api_access(&cookie, true).await;
    let made = app.make_token(&cookie, "Measured").await;
    let account = app.account_sid().await;
    let good = basic(&made.sid, &made.secret);
    let reports = format!("/Advertisers/{account}/Reports");
    assert_eq!(
        app.api("GET", &reports, Some(&good), &[], "").await.status,
        StatusCode::OK
    );
    let ads = format!("/Advertisers/{account}/Ads");
    assert_eq!(
        app.api("GET", &ads, Some(&good), &[], "").await.status,
        StatusCode::FORBIDDEN
    );
    let bad = basic(&made.sid, "tsm_wrong");
    assert_eq!(
        app.api("GET", &reports, Some(&bad), &[], "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let bearer = format!("Bearer {INTROSPECTION_KEY}");
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let token = format!("token={}", made.secret);
    app.api("POST", "/oauth/introspect", Some(&bearer), &form, &token)
        .await;
    app.api(
        "POST",
        "/oauth/introspect",
        Some(&bearer),
        &form,
        "token=tsm_nothing",
    )
    .await;
    app.api(
        "POST",
        "/oauth/introspect",
        Some("Bearer wrong-key-0123456789"),
        &form,
        &token,
    )
    .await;

    let distinct = app.api_from("192.0.2.77:4444", &reports, &good).await;
    assert_eq!(distinct.status, StatusCode::OK);
    // A report of something that is no token's secret.
    let nothing = app
        .report_github(r#"[{"token":"tsm_nothing","type":"tokensmith_auth_token"}]"#)
        .await;
    assert_eq!(nothing.status, StatusCode::OK, "{}", nothing.body);

    let (kind, text) = scrape(&app).await;
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    // No label carries a token, an account, an address or a user.
    for private in [&made.sid, &account, "192.0.2.77", ADMIN, "Alex Morgan"] {
        let found: Vec<&str> = text.lines().filter(|l| l.contains(private)).collect();
        assert!(found.is_empty(), "{private} in {found:?}");
    }
    // And only these labels exist: none could hold one.
    let closed = [
        "method", "route", "status", "decision", "reason", "result", "outcome", "state", "version",
        "action", "le", "reporter", "label",
    ];
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let labels = line.split_once('{').map_or("", |(_, rest)| rest);
        for pair in labels.split("\",").filter(|p| p.contains('=')) {
            let name = pair.split('=').next().unwrap_or("");
            assert!(closed.contains(&name), "label {name:?} in {line}");
        }
    }

    let at_least_one = [
        r#"tokensmith_http_requests_total{method="GET",route="/Advertisers/{account}/{resource}",status="200"}"#,
        r#"tokensmith_http_requests_total{method="POST",route="/login",status="401"}"#,
        r#"tokensmith_http_request_duration_seconds_count{method="GET",route="/Advertisers/{account}/{resource}"}"#,
        r#"tokensmith_sandbox_decisions_total{decision="allow"}"#,
        r#"tokensmith_sandbox_decisions_total{decision="refused",reason="missing_scope"}"#,
        r#"tokensmith_sandbox_decisions_total{decision="refused",reason="bad_credentials"}"#,
        r#"tokensmith_introspection_total{result="active"}"#,
        r#"tokensmith_introspection_total{result="inactive"}"#,
        r#"tokensmith_introspection_total{result="refused",reason="bad_key"}"#,
        r#"tokensmith_sign_ins_total{outcome="success"}"#,
        r#"tokensmith_sign_ins_total{outcome="failed"}"#,
        r#"tokensmith_audit_events_total{action="api_access_enabled"}"#,
        r#"tokensmith_audit_events_total{action="created"}"#,
        r#"tokensmith_secret_reports_total{reporter="github",label="false_positive"}"#,
        "tokensmith_db_write_wait_seconds_count",
    ];
    for series in at_least_one {
        assert!(value(&text, series) >= 1.0, "{series}");
    }
    assert!(text.contains(r#"tokensmith_http_request_duration_seconds_bucket{method="GET",route="/Advertisers/{account}/{resource}",le="0.005"}"#));
    assert!(text.contains("# TYPE tokensmith_sandbox_decisions_total counter"));
    // Gauges are this database's, counted at the scrape: the new token's two messages.
    assert_eq!(
        value(&text, r#"tokensmith_outbox_messages{state="queued"}"#),
        2.0
    );
    assert_eq!(
        value(&text, r#"tokensmith_outbox_messages{state="failed"}"#),
        0.0
    );
    // Every state is reported, held mail included (`value` panics on a missing series).
    let messages: f64 = app::domain::OutboxState::ALL
        .map(|state| {
            value(
                &text,
                &format!(
                    r#"tokensmith_outbox_messages{{state="{}"}}"#,
                    state.as_str()
                ),
            )
        })
        .iter()
        .sum();
    assert_eq!(messages, 2.0);
    // The pool holds at least the connection that just counted the outbox.
    let open = value(&text, r#"tokensmith_db_pool_connections{state="idle"}"#)
        + value(&text, r#"tokensmith_db_pool_connections{state="in_use"}"#);
    assert!(open >= 1.0, "{open}");
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(
        value(
            &text,
            &format!(r#"tokensmith_build_info{{version="{version}"}}"#)
        ),
        1.0
    );
    // No secret, session or password reaches a label.
    for secret in [made.secret.as_str(), PASSWORD, INTROSPECTION_KEY] {
        assert!(!text.contains(secret));
    }
    assert!(!text.contains(cookie.split('=').nth(1).unwrap()));
}

/// Any token is a valid HTTP method; a caller who makes up a new one for each request must
/// not make a new series each time (they are never dropped, and every scrape renders them).
#[tokio::test]
async fn made_up_methods_share_one_label() {
    prometheus::install().unwrap();
    let app = TestApp::new().await;
    let (_, before) = scrape(&app).await;
    // This test's requests are the only ones with a made-up method: their series.
    let series = |text: &str| {
        text.lines()
            .filter(|l| l.contains(r#"method="other""#))
            .count()
    };
    for i in 0..200 {
        let method = format!("MADEUP{i}{}", "X".repeat(4096));
        for path in ["/healthz", "/no-such-page", "/api/create_token"] {
            let request = Request::builder()
                .method(method.as_str())
                .uri(path)
                .header(header::HOST, "localhost")
                .body(Body::empty())
                .unwrap();
            let reply = app.send(request).await;
            assert!(reply.status.is_client_error(), "{path}: {}", reply.status);
        }
    }
    let (_, after) = scrape(&app).await;
    assert!(
        !after.contains("MADEUP"),
        "a caller's method became a label"
    );
    assert!(
        value(
            &after,
            r#"tokensmith_http_requests_total{method="other",route="/healthz",status="405"}"#
        ) >= 200.0
    );
    // 600 requests with 600 methods: one set of series per route and status (57: counts,
    // and the histogram's buckets), not one per method.
    assert!(
        series(&after) <= series(&before) + 100,
        "{} series before, {} after",
        series(&before),
        series(&after)
    );
}

//! Request ids and the access log through the real router: an `X-Request-Id` kept or
//! replaced and always answered, and one access line per request naming its route,
//! status, latency, user and Token SID, never a secret.

use super::harness::{basic, TestApp, ADMIN, HOST};
use super::secret_scan::{log_lines_since, log_lines_with, log_mark};
use axum::body::Body;
use http::{header, Request, StatusCode};

/// A request id no other test sends.
fn unique(label: &str) -> String {
    format!("{label}-{:016x}", rand::random::<u64>())
}

/// The one access log line of the request with id `id`.
fn access_line(id: &str) -> String {
    let lines: Vec<String> = log_lines_with(&format!("request_id={id}"))
        .into_iter()
        .filter(|line| line.contains(" access: "))
        .collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    lines[0].clone()
}

async fn get_with_id(app: &TestApp, path: &str, id: Option<&str>) -> super::harness::Reply {
    let mut request = Request::get(path).header(header::HOST, HOST);
    if let Some(id) = id {
        request = request.header("x-request-id", id);
    }
    app.send(request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn a_usable_request_id_is_kept_and_anything_else_replaced() {
    let app = TestApp::new().await;
    let id = unique("lb");
    let kept = get_with_id(&app, "/healthz", Some(&id)).await;
    assert_eq!(kept.header("x-request-id"), id);
    let line = access_line(&id);
    for part in [
        "method=GET",
        "route=/healthz",
        "path=/healthz",
        "status=200",
        "latency_ms=",
    ] {
        assert!(line.contains(part), "{part} in {line}");
    }

    let fresh = get_with_id(&app, "/healthz", None).await;
    let generated = fresh.header("x-request-id").to_string();
    assert_eq!(generated.len(), 32, "{generated}");
    assert!(generated.chars().all(|c| c.is_ascii_hexdigit()));
    access_line(&generated);

    for hostile in ["has space", "quote\"d", &"x".repeat(129), "new=line"] {
        let reply = get_with_id(&app, "/healthz", Some(hostile)).await;
        let answered = reply.header("x-request-id");
        assert_eq!(answered.len(), 32, "{hostile:?} → {answered}");
        assert_ne!(answered, hostile);
    }
    // Unknown paths are one route, not one per path.
    let id = unique("miss");
    let missing = get_with_id(&app, "/no/such/page", Some(&id)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(access_line(&id).contains("route=unmatched"));
}

#[tokio::test]
async fn the_access_line_names_the_user_and_the_token_sid() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let admin_id = app.user_id(ADMIN).await;

    // A server function.
    let id = unique("fn");
    let reply = app
        .post_with(
            "/api/home",
            Some(&cookie),
            "",
            &[
                ("sec-fetch-site", "same-origin"),
                ("accept", "application/json"),
                ("x-request-id", &id),
            ],
        )
        .await;
    assert_eq!(reply.header("x-request-id"), id, "{}", reply.body);
    let line = access_line(&id);
    assert!(line.contains(&format!("user_id={admin_id}")), "{line}");
    assert!(line.contains("route=/api/home"), "{line}");

    // A page rendered on the server.
    let id = unique("page");
    let mut request = Request::get("/settings/api")
        .header(header::HOST, HOST)
        .header(header::COOKIE, &cookie)
        .header("x-request-id", &id);
    request = request.header(header::ACCEPT, "text/html");
    let page = app.send(request.body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(access_line(&id).contains(&format!("user_id={admin_id}")));

    // The sandbox: the SID, never the secret.
    app.set_api_access(&cookie, true).await;
    let made = app.make_token(&cookie, "Logged").await;
    let account = app.account_sid().await;
    let id = unique("api");
    let mark = log_mark();
    let reply = app
        .api(
            "GET",
            &format!("/Advertisers/{account}/Reports"),
            Some(&basic(&made.sid, &made.secret)),
            &[("x-request-id", &id)],
            "",
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let line = access_line(&id);
    assert!(line.contains(&format!("sid={}", made.sid)), "{line}");
    assert!(
        line.contains("route=/Advertisers/{account}/{resource}"),
        "{line}"
    );
    assert!(!line.contains(&made.secret));
    // Every line the request caused carries its id: of the lines written meanwhile, those
    // naming this test's token (no other test knows it) all do, and there are several.
    let caused = log_lines_since(mark, &made.sid);
    assert!(caused.len() >= 2, "{caused:#?}");
    let without: Vec<_> = caused
        .iter()
        .filter(|l| !l.contains(&format!("request_id={id}")))
        .collect();
    assert!(without.is_empty(), "{without:#?}");
    assert!(
        caused.iter().any(|l| l.contains("sandbox request allowed")),
        "{caused:#?}"
    );
}

#[tokio::test]
async fn metrics_are_not_on_the_public_address() {
    let app = TestApp::new().await;
    assert_eq!(
        app.get("/metrics", None).await.status,
        StatusCode::NOT_FOUND
    );
}

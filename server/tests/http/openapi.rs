//! `/openapi.json`: every status it documents is one the server really answers at that
//! path, each caused here through the real router, down to the 503 of a database that has
//! gone away (the document's validity and the console's reading of it: `api_reference.rs`).

use super::harness::{basic, Reply, TestApp, ADMIN, HOST, INTROSPECTION_KEY};
use axum::body::Body;
use http::{header, Request, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::pin::Pin;
use std::task::{Context, Poll};
use tower::ServiceExt;

/// A request body that never sends a byte.
struct Stalled;

impl http_body::Body for Stalled {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Poll::Pending
    }
}

pub(super) async fn document(app: &TestApp) -> Value {
    let reply = app.get("/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "application/json");
    serde_json::from_str(&reply.body).unwrap()
}

/// A request from client address `client`, as another service sends it.
async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    client: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, HOST);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut request = request.body(Body::from(body.to_string())).unwrap();
    let address: std::net::SocketAddr = client.parse().unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(address));
    app.send(request).await
}

const GITHUB: &str = "/secret-scanning/github";
const REPORT: &str = "/secret-scanning/report";

/// Sends `request` until it is answered 429 (at most 200 times); that answer.
async fn until_throttled(request: impl AsyncFn() -> Reply) -> Reply {
    for _ in 0..200 {
        let reply = request().await;
        if reply.status == StatusCode::TOO_MANY_REQUESTS {
            return reply;
        }
    }
    panic!("never throttled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_status_is_really_answered() {
    let app = TestApp::new().await;
    let documented: BTreeSet<(String, u16)> = document(&app).await["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .values()
                .flat_map(|op| op["responses"].as_object().unwrap().keys())
                .map(|status| (path.clone(), status.parse().unwrap()))
                .collect::<Vec<_>>()
        })
        .collect();

    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let scopes = ["actions:get", "actions:put", "actions:delete", "ads:post"];
    let overrides = json!({ "api_version": 14, "developer_emails": [], "scopes": scopes });
    let draft = json!({ "draft": app.review_draft("Documented", overrides).await });
    let made: Value = serde_json::from_str(
        &app.call_json("create_token", Some(&admin), &draft)
            .await
            .body,
    )
    .unwrap();
    let (sid, secret) = (
        made["sid"].as_str().unwrap(),
        made["secret"].as_str().unwrap(),
    );
    let good = basic(sid, secret);
    let account = app.account_sid().await;
    let resource = |name: &str| format!("/Advertisers/{account}/{name}");
    let sandbox = "/Advertisers/{AccountSid}/{Resource}";
    let bearer = format!("Bearer {INTROSPECTION_KEY}");
    let form = ("content-type", "application/x-www-form-urlencoded");
    let token_field = format!("token={secret}");
    let operations = [
        (sandbox, "GET", resource("Actions")),
        (sandbox, "POST", resource("Ads")),
        (sandbox, "PUT", resource("Actions")),
        (sandbox, "DELETE", resource("Actions")),
        ("/oauth/introspect", "POST", "/oauth/introspect".to_string()),
        ("/oauth/revoke", "POST", "/oauth/revoke".to_string()),
        (GITHUB, "POST", GITHUB.to_string()),
        (REPORT, "POST", REPORT.to_string()),
    ];
    // Bodies that never arrive, for each operation: answered when the body's time is up.
    let stalled: Vec<_> = operations
        .iter()
        .map(|(path, method, uri)| {
            let request = Request::builder()
                .method(*method)
                .uri(uri)
                .header(header::HOST, HOST)
                .header(header::CONTENT_LENGTH, "100")
                .body(Body::new(Stalled))
                .unwrap();
            let router = app.router.clone();
            let path = path.to_string();
            tokio::spawn(async move { (path, router.oneshot(request).await.unwrap().status()) })
        })
        .collect();
    let mut seen: BTreeSet<(String, u16)> = BTreeSet::new();
    let mut saw = |path: &str, reply: Reply, expected: u16| {
        seen.insert((path.to_string(), reply.status.as_u16()));
        assert_eq!(reply.status.as_u16(), expected, "{path}: {}", reply.body);
    };
    let client = "198.51.100.7:5000";

    // The sandbox: every documented method allowed somewhere, then each refusal.
    let auth = [("authorization", good.as_str())];
    for (method, name) in [
        ("GET", "Actions"),
        ("POST", "Ads"),
        ("PUT", "Actions"),
        ("DELETE", "Actions"),
    ] {
        saw(
            sandbox,
            send(&app, method, &resource(name), client, &auth, "").await,
            200,
        );
    }
    let old_version = [("authorization", good.as_str()), ("ir-version", "99")];
    saw(
        sandbox,
        send(&app, "GET", &resource("Actions"), client, &old_version, "").await,
        400,
    );
    let wrong = basic(sid, "tsm_not_the_secret");
    let wrong = [("authorization", wrong.as_str())];
    saw(
        sandbox,
        send(&app, "GET", &resource("Actions"), client, &wrong, "").await,
        401,
    );
    saw(
        sandbox,
        send(&app, "GET", &resource("Reports"), client, &auth, "").await,
        403,
    );
    saw(
        sandbox,
        send(&app, "GET", &resource("Nothing"), client, &auth, "").await,
        404,
    );
    let not_taken = send(
        &app,
        "POST",
        &resource("CompanyInformation"),
        client,
        &auth,
        "",
    )
    .await;
    assert_eq!(not_taken.header("allow"), "GET, PUT");
    saw(sandbox, not_taken, 405);
    let flood = "198.51.100.8:5000";
    let actions = resource("Actions");
    let form_only = [form];
    saw(
        sandbox,
        until_throttled(async || send(&app, "GET", &actions, flood, &wrong, "").await).await,
        429,
    );

    // Introspection.
    let with_key = [("authorization", bearer.as_str()), form];
    saw(
        "/oauth/introspect",
        send(
            &app,
            "POST",
            "/oauth/introspect",
            client,
            &with_key,
            &token_field,
        )
        .await,
        200,
    );
    saw(
        "/oauth/introspect",
        send(&app, "POST", "/oauth/introspect", client, &with_key, "").await,
        400,
    );
    let bad_key = [("authorization", "Bearer not-the-key-0123456789"), form];
    saw(
        "/oauth/introspect",
        send(
            &app,
            "POST",
            "/oauth/introspect",
            client,
            &bad_key,
            &token_field,
        )
        .await,
        401,
    );
    let off = TestApp::without_introspection().await;
    saw(
        "/oauth/introspect",
        send(
            &off,
            "POST",
            "/oauth/introspect",
            client,
            &with_key,
            &token_field,
        )
        .await,
        404,
    );
    let throttled = until_throttled(async || {
        send(
            &app,
            "POST",
            "/oauth/introspect",
            flood,
            &bad_key,
            &token_field,
        )
        .await
    })
    .await;
    saw("/oauth/introspect", throttled, 429);

    // Revocation (of nothing: the token stays for the 503s below).
    saw(
        "/oauth/revoke",
        send(
            &app,
            "POST",
            "/oauth/revoke",
            client,
            &[form],
            "token=tsm_nothing",
        )
        .await,
        200,
    );
    saw(
        "/oauth/revoke",
        send(&app, "POST", "/oauth/revoke", client, &[form], "").await,
        400,
    );
    saw(
        "/oauth/revoke",
        until_throttled(async || {
            send(&app, "POST", "/oauth/revoke", flood, &form_only, "token=x").await
        })
        .await,
        429,
    );

    // Secret scanning: GitHub's signed reports, and anyone's.
    let json_type = [("content-type", "application/json")];
    saw(GITHUB, app.report_github("[]").await, 200);
    saw(GITHUB, app.report_github("{").await, 400);
    saw(
        GITHUB,
        send(&app, "POST", GITHUB, client, &json_type, "[]").await,
        401,
    );
    let many = format!("[{}]", vec![r#"{"token":"x","type":"t"}"#; 501].join(","));
    saw(GITHUB, app.report_github(&many).await, 413);
    saw(
        REPORT,
        send(&app, "POST", REPORT, client, &json_type, "[]").await,
        202,
    );
    saw(
        REPORT,
        send(&app, "POST", REPORT, client, &json_type, "{").await,
        400,
    );
    let too_many = format!("[{}]", vec!["\"x\""; 101].join(","));
    saw(
        REPORT,
        send(&app, "POST", REPORT, client, &json_type, &too_many).await,
        413,
    );
    // Every report worker busy: a well-formed secret waits for none and is refused.
    let workers = app.api.report_workers.clone();
    let busy = workers
        .acquire_many_owned(server::brand_api::REPORT_WORKERS as u32)
        .await
        .unwrap();
    let well_formed = json!([secret]).to_string();
    saw(
        REPORT,
        send(&app, "POST", REPORT, client, &json_type, &well_formed).await,
        503,
    );
    drop(busy);
    saw(
        REPORT,
        until_throttled(async || send(&app, "POST", REPORT, flood, &json_type, "[]").await).await,
        429,
    );

    // The database goes away: a secret never seen before can't be looked up.
    app.pool.close().await;
    let unseen = app::domain::TokenSecret::from_random(&app::ssr::random_base62(30)).unwrap();
    let unseen = unseen.expose();
    let unseen_basic = basic(sid, unseen);
    let unseen_auth = [("authorization", unseen_basic.as_str())];
    let elsewhere = "198.51.100.9:5000";
    saw(
        sandbox,
        send(
            &app,
            "GET",
            &resource("Actions"),
            elsewhere,
            &unseen_auth,
            "",
        )
        .await,
        503,
    );
    let unseen_field = format!("token={unseen}");
    saw(
        "/oauth/introspect",
        send(
            &app,
            "POST",
            "/oauth/introspect",
            elsewhere,
            &with_key,
            &unseen_field,
        )
        .await,
        503,
    );
    saw(
        "/oauth/revoke",
        send(
            &app,
            "POST",
            "/oauth/revoke",
            elsewhere,
            &[form],
            &unseen_field,
        )
        .await,
        503,
    );
    let unseen_match = json!([{ "token": unseen, "type": "tokensmith_auth_token" }]);
    saw(
        GITHUB,
        app.report_github(&unseen_match.to_string()).await,
        503,
    );

    // What the outer layers answer, whatever it is, must be documented too: a browser page
    // on another site, a body too large, a body that never arrives.
    let too_large = "x".repeat(server::config::BODY_LIMIT + 1);
    for (index, (path, method, uri)) in operations.iter().enumerate() {
        let client = format!("198.51.100.{}:5000", 20 + index);
        let cross_site = [("sec-fetch-site", "cross-site"), form];
        let reply = send(&app, method, uri, &client, &cross_site, "token=x").await;
        saw(path, reply, if *method == "GET" { 401 } else { 403 });
        let reply = send(&app, method, uri, &client, &[form], &too_large).await;
        saw(path, reply, 413);
    }
    for stalled in stalled {
        let (path, status) = stalled.await.unwrap();
        assert_eq!(status, StatusCode::REQUEST_TIMEOUT, "{path}");
        seen.insert((path, status.as_u16()));
    }

    let never_shown: Vec<_> = documented.difference(&seen).collect();
    assert!(
        never_shown.is_empty(),
        "documented, never answered: {never_shown:?}"
    );
    let undocumented: Vec<_> = seen.difference(&documented).collect();
    assert!(
        undocumented.is_empty(),
        "answered, not documented: {undocumented:?}"
    );
}

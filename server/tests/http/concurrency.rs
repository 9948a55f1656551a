//! Many requests at once on a multi-thread runtime: every page, static files, server
//! functions and sandbox calls, each answered within its bound, with its own status and
//! its own Content-Security-Policy nonce.

use super::harness::{basic, Reply, TestApp, ADMIN, ANALYST, FINANCE};
use http::StatusCode;
use serde_json::json;
use std::sync::Arc;

/// What one request should get back.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    /// A server-rendered page: its policy's nonce is the one in its scripts.
    Page,
    /// Anything else: the strict default policy.
    Other,
}

struct Case {
    path: String,
    cookie: Option<String>,
    authorization: Option<String>,
    /// A server function and its JSON arguments.
    call: Option<(&'static str, serde_json::Value)>,
    status: StatusCode,
    kind: Kind,
}

fn page(path: &str, cookie: &str, status: StatusCode) -> Case {
    Case {
        path: path.to_string(),
        cookie: Some(cookie.to_string()),
        authorization: None,
        call: None,
        status,
        kind: Kind::Page,
    }
}

fn nonce_of(reply: &Reply) -> Option<String> {
    reply
        .header("content-security-policy")
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .map(str::to_string)
}

async fn run(app: &TestApp, case: &Case) -> Reply {
    if let Some((endpoint, body)) = &case.call {
        return app.call_json(endpoint, case.cookie.as_deref(), body).await;
    }
    if let Some(auth) = &case.authorization {
        return app.api("GET", &case.path, Some(auth), &[], "").await;
    }
    app.get(&case.path, case.cookie.as_deref()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_hundred_mixed_requests_keep_their_own_status_and_policy() {
    let app = Arc::new(TestApp::new().await);
    let admin = app.sign_in(ADMIN).await;
    let analyst = app.sign_in(ANALYST).await;
    let finance = app.sign_in(FINANCE).await;
    let token = app.make_token(&admin, "Feed sync").await;
    app.set_api_access(&admin, true).await;
    let account = app.account_sid().await;
    let detail = format!("/settings/api/tokens/{}", token.sid);
    let good = basic(&token.sid, &token.secret);
    let bad = basic(&token.sid, "tsm_wrong");
    let mut cases = vec![
        page("/settings/api", &admin, StatusCode::OK),
        page(
            "/settings/api?q=feed&created=30d&state=enabled",
            &admin,
            StatusCode::OK,
        ),
        page("/settings/api/tokens/new", &admin, StatusCode::OK),
        page(&detail, &admin, StatusCode::OK),
        page("/settings/api/security", &admin, StatusCode::OK),
        page("/settings/password", &analyst, StatusCode::OK),
        page("/settings/api/tokens/new", &analyst, StatusCode::FORBIDDEN),
        page(&detail, &finance, StatusCode::FORBIDDEN),
        page("/no/such/page", &admin, StatusCode::NOT_FOUND),
        page("/login", "", StatusCode::OK),
        page("/login/two-factor", "", StatusCode::OK),
        page("/login/sso", "", StatusCode::OK),
        page("/confirm-access?next=/settings/api", &admin, StatusCode::OK),
        page("/settings/security", &analyst, StatusCode::OK),
    ];
    for path in ["/pkg/tokensmith.wasm", "/enhance.js", "/islands.js"] {
        cases.push(Case {
            path: path.into(),
            cookie: None,
            authorization: None,
            call: None,
            status: StatusCode::OK,
            kind: Kind::Other,
        });
    }
    for (endpoint, body, status) in [
        ("get_token", json!({ "sid": token.sid }), StatusCode::OK),
        ("list_tokens", json!({ "filter": {} }), StatusCode::OK),
        ("security", json!({}), StatusCode::OK),
    ] {
        cases.push(Case {
            path: String::new(),
            cookie: Some(admin.clone()),
            authorization: None,
            call: Some((endpoint, body)),
            status,
            kind: Kind::Other,
        });
    }
    for (auth, status) in [(good, StatusCode::OK), (bad, StatusCode::UNAUTHORIZED)] {
        cases.push(Case {
            path: format!("/Advertisers/{account}/Actions"),
            cookie: None,
            authorization: Some(auth),
            call: None,
            status,
            kind: Kind::Other,
        });
    }
    // Round robin over the cases, with the bad credentials only 10 times: more failures
    // from one client would be throttled (429), rightly.
    let bad_case = cases.len() - 1;
    let plan: Vec<usize> = (0..400)
        .map(|i| i % cases.len())
        .enumerate()
        .filter(|(i, case)| *case != bad_case || *i < 10 * cases.len())
        .map(|(_, case)| case)
        .take(330)
        .collect();
    let total = plan.len();
    assert_eq!(total, 330);
    let cases = Arc::new(cases);
    let mut tasks = Vec::new();
    for index in plan {
        let (app, cases) = (app.clone(), cases.clone());
        tasks.push(tokio::spawn(async move {
            (index, run(&app, &cases[index]).await)
        }));
    }
    let mut wrong = Vec::new();
    let mut nonces = std::collections::HashSet::new();
    for task in tasks {
        let (index, reply) = task.await.expect("no request panics");
        let case = &cases[index];
        if reply.status != case.status {
            wrong.push(format!("{} {}: {}", case.path, case.status, reply.status));
        }
        let policy = reply.header("content-security-policy");
        match case.kind {
            Kind::Page => match nonce_of(&reply) {
                Some(nonce) if reply.body.contains(&format!(r#"nonce="{nonce}""#)) => {
                    assert!(nonces.insert(nonce), "a nonce was used twice");
                }
                _ => wrong.push(format!(
                    "{}: policy {policy:?} doesn't match its page",
                    case.path
                )),
            },
            Kind::Other => {
                if !policy.starts_with("default-src 'none'") {
                    wrong.push(format!("{} got a page's policy: {policy}", case.path));
                }
            }
        }
    }
    eprintln!(
        "{total} concurrent requests: {} wrong (status or policy), {} distinct page nonces",
        wrong.len(),
        nonces.len()
    );
    assert!(
        wrong.is_empty(),
        "{} wrong of {total}: {wrong:#?}",
        wrong.len()
    );
}

/// The pages Analyst and Finance get a 403 for, hundreds of times in a row on two worker
/// threads. A page's data call that failed used to look up the response options while
/// another thread dropped the page's reactive owner, and the thread deadlocked on itself
/// (within a few hundred requests, every time; see `app::ssr::response::respond`).
#[test]
fn forbidden_pages_never_hang() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        let app = TestApp::new().await;
        let admin = app.sign_in(ADMIN).await;
        let token = app.make_token(&admin, "Feed sync").await;
        let cookies = [app.sign_in(ANALYST).await, app.sign_in(FINANCE).await];
        let detail = format!("/settings/api/tokens/{}", token.sid);
        let paths = ["/settings/api", "/settings/api/tokens/new", detail.as_str()];
        for i in 0..600 {
            let path = paths[i % paths.len()];
            let reply = tokio::time::timeout(
                std::time::Duration::from_secs(10),
                app.get(path, Some(&cookies[i % 2])),
            )
            .await;
            match reply {
                Ok(reply) if reply.status == StatusCode::FORBIDDEN => {}
                Ok(reply) => return Err(format!("{path}: {}", reply.status)),
                Err(_) => return Err(format!("request {i} ({path}) never finished")),
            }
        }
        Ok(())
    });
    // A deadlocked worker would keep the runtime from shutting down: don't wait for it.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    outcome.unwrap();
}

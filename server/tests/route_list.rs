//! The hang that once made the server tests run one at a time, reproduced and shown gone.
//!
//! Generating Leptos' route list sets a process-wide flag (`SuppressResourceLoad`) while it
//! runs the app once; any page rendered meanwhile, on any thread, waits forever for its
//! data (leptos#4773). Every test router used to generate its own list, so one test's
//! setup could stall another test's page. Now the list is generated once per process.
//! This is its own test binary because it holds that flag on purpose.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "http/harness.rs"]
mod harness;
#[path = "http/harness_tokens.rs"]
mod harness_tokens;
#[path = "http/secret_scan.rs"]
mod secret_scan;

use axum::body::Body;
use axum::Router;
use harness::{TestApp, ADMIN, HOST};
use http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

/// The whole exchange for a signed-in page, or `None` if it is not done within `limit`.
async fn render(router: &Router, cookie: &str, limit: Duration) -> Option<StatusCode> {
    let request = Request::get("/settings/api")
        .header(header::HOST, HOST)
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .unwrap();
    let exchange = async {
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        response.into_body().collect().await.unwrap();
        status
    };
    tokio::time::timeout(limit, exchange).await.ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_routers_never_stalls_a_page() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;

    // The upstream mechanism: while the flag is set, a page with data never finishes.
    {
        let _flag = leptos::server::SuppressResourceLoad::new();
        let stalled = render(&app.router, &cookie, Duration::from_secs(2)).await;
        assert_eq!(
            stalled, None,
            "a page finished while resource loading was suppressed"
        );
    }
    let done = render(&app.router, &cookie, Duration::from_secs(30)).await;
    assert_eq!(done, Some(StatusCode::OK));

    // The fix: building more routers, while pages render on other threads, never sets
    // the flag again, so every page finishes.
    let builders = tokio::spawn(async {
        let mut apps = Vec::new();
        for _ in 0..12 {
            apps.push(TestApp::new().await);
        }
        apps.len()
    });
    let mut renders = Vec::new();
    for _ in 0..40 {
        let router = app.router.clone();
        let cookie = cookie.clone();
        renders.push(tokio::spawn(async move {
            tokio::task::yield_now().await;
            render(&router, &cookie, Duration::from_secs(30)).await
        }));
    }
    for render in renders {
        assert_eq!(render.await.unwrap(), Some(StatusCode::OK));
    }
    assert_eq!(builders.await.unwrap(), 12);
    assert_eq!(server::http::router::route_list_generations(), 1);
}

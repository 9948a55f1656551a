//! `POST /logout`.

use super::harness::{TestApp, ADMIN};
use http::StatusCode;

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let reply = app.post_form("/logout", Some(&cookie), "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/login");
    assert!(reply.header("set-cookie").contains("Max-Age=0"));

    // The old cookie, replayed, opens nothing.
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::FOUND);
    assert_eq!(page.header("location"), "/login");
    let call = app.call("api_settings", Some(&cookie), "").await;
    assert_eq!(call.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_out_without_a_session_is_harmless() {
    let app = TestApp::new().await;
    let reply = app.post_form("/logout", None, "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

//! **Require two-factor authentication**: set by an Account Administrator who has a second
//! factor; a user it covers without one is led to set one up and can do nothing else first.

use super::harness::{TestApp, ADMIN, ANALYST, SPECIALIST};
use super::second_factors::set_up_app;
use app::ssr::db::engine::query;
use http::StatusCode;

async fn set_rule(app: &TestApp, cookie: &str, rule: &str) -> super::harness::Reply {
    app.call("set_two_factor_rule", Some(cookie), &format!("rule={rule}"))
        .await
}

#[tokio::test]
async fn the_rule_needs_the_administrators_own_factor_and_holds_back_those_it_covers() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let refused = set_rule(&app, &admin, "token_managers").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains("authenticator app for yourself first"));
    assert_eq!(
        set_rule(&app, &admin, "sometimes").await.status,
        StatusCode::BAD_REQUEST
    );
    let specialist = app.sign_in(SPECIALIST).await;
    assert_eq!(
        set_rule(&app, &specialist, "off").await.status,
        StatusCode::FORBIDDEN
    );
    set_up_app(&app, &admin).await;
    assert_eq!(
        set_rule(&app, &admin, "token_managers").await.status,
        StatusCode::OK
    );
    let changed = "SELECT COUNT(*) FROM audit_events WHERE action = 'two_factor_rule_changed'";
    assert_eq!(query(changed).scalar::<i64>(&app.pool).await.unwrap(), 1);
    // The specialist manages tokens: held back until they add a factor.
    let info = app.call("session_info", Some(&specialist), "").await;
    assert!(
        info.body.contains("\"must_add_second_factor\":true"),
        "{}",
        info.body
    );
    assert_eq!(
        app.call("api_settings", Some(&specialist), "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("home", Some(&specialist), "").await.status,
        StatusCode::FORBIDDEN
    );
    let security = app.call("security", Some(&specialist), "").await;
    assert!(
        security.body.contains("\"must_add_factor\":true"),
        "{}",
        security.body
    );
    // The analyst doesn't: nothing changes for them.
    let analyst = app.sign_in(ANALYST).await;
    assert_eq!(
        app.call("home", Some(&analyst), "").await.status,
        StatusCode::OK
    );
    set_up_app(&app, &specialist).await;
    assert_eq!(
        app.call("api_settings", Some(&specialist), "").await.status,
        StatusCode::OK
    );
    // Everyone: now the analyst too.
    assert_eq!(
        set_rule(&app, &admin, "everyone").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("home", Some(&analyst), "").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(set_rule(&app, &admin, "off").await.status, StatusCode::OK);
    assert_eq!(
        app.call("home", Some(&analyst), "").await.status,
        StatusCode::OK
    );
}

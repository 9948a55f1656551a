//! The API settings server functions: who may call them.

use super::harness::{TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use http::StatusCode;

const ROLES: [(&str, bool); 4] = [
    (ADMIN, true),
    (SPECIALIST, true),
    (ANALYST, false),
    (FINANCE, false),
];

#[tokio::test]
async fn reading_the_settings_by_role() {
    let app = TestApp::new().await;
    for (email, allowed) in ROLES {
        let cookie = app.sign_in(email).await;
        let reply = app.call("api_settings", Some(&cookie), "").await;
        if allowed {
            assert_eq!(reply.status, StatusCode::OK, "{email}");
            let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
            assert!(json["account_sid"].as_str().unwrap().starts_with("AC"));
            assert_eq!(json["api_access_enabled"], false);
        } else {
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email}");
            assert!(reply.body.contains("Forbidden"), "{}", reply.body);
            assert!(
                !reply.body.contains("AC"),
                "no account data leaks: {}",
                reply.body
            );
        }
    }
}

#[tokio::test]
async fn switching_api_access_by_role() {
    let app = TestApp::new().await;
    for (email, allowed) in ROLES {
        let cookie = app.sign_in(email).await;
        let reply = app
            .call("set_api_access", Some(&cookie), "enabled=true")
            .await;
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        assert_eq!(reply.status, expected, "{email}");
    }
}

#[tokio::test]
async fn the_switch_is_saved() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(SPECIALIST).await;
    let on = app
        .call("set_api_access", Some(&cookie), "enabled=true")
        .await;
    assert_eq!(on.body, "true");
    let read = app.call("api_settings", Some(&cookie), "").await;
    assert!(read.body.contains(r#""api_access_enabled":true"#));
    let stored: bool = sqlx::query_scalar("SELECT api_access_enabled FROM accounts")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(stored);
    app.call("set_api_access", Some(&cookie), "enabled=false")
        .await;
    let read = app.call("api_settings", Some(&cookie), "").await;
    assert!(read.body.contains(r#""api_access_enabled":false"#));
}

#[tokio::test]
async fn nobody_signed_in_gets_401() {
    let app = TestApp::new().await;
    for endpoint in ["api_settings", "set_api_access", "session_info"] {
        let reply = app.call(endpoint, None, "enabled=true").await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{endpoint}");
    }
}

#[tokio::test]
async fn malformed_arguments_get_400_not_500() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    for body in ["enabled=maybe", "", "enabled"] {
        let reply = app.call("set_api_access", Some(&cookie), body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body:?}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn session_info_names_the_user_and_role() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(FINANCE).await;
    let reply = app.call("session_info", Some(&cookie), "").await;
    assert_eq!(reply.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["user_name"], "Casey Kim");
    assert_eq!(json["role"], "finance");
    assert_eq!(json["account_name"], "Acme Outdoor");
}

//! The API settings server functions: who may call them, and the audit trail of the
//! **Enable API access** switch.

use super::harness::{TestApp, ADMIN, ANALYST, FINANCE, HOST, SPECIALIST};
use app::ssr::db::engine::query;
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
    let stored: bool = query("SELECT api_access_enabled FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert!(stored);
    app.call("set_api_access", Some(&cookie), "enabled=false")
        .await;
    let read = app.call("api_settings", Some(&cookie), "").await;
    assert!(read.body.contains(r#""api_access_enabled":false"#));
}

/// The switch's form posted by a browser without JavaScript.
async fn post_switch(app: &TestApp, cookie: Option<&str>, body: &str) -> super::harness::Reply {
    let referer = format!("http://{HOST}/settings/api");
    let browser = [
        ("sec-fetch-site", "same-origin"),
        ("accept", "text/html,application/xhtml+xml"),
        ("referer", referer.as_str()),
    ];
    app.post_with("/api/set_api_access", cookie, body, &browser)
        .await
}

#[tokio::test]
async fn the_switch_works_without_javascript() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert!(
        page.body.contains(r#"action="/api/set_api_access""#)
            && page.body.contains(r#"name="enabled" value="true""#)
            && page.body.contains(r#"role="switch" aria-checked="false""#),
        "the page has the switch's form, set to post the other state"
    );
    let reply = post_switch(&app, Some(&cookie), "enabled=true").await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    // Back to the page it came from (Leptos adds an empty query).
    let back = reply.header("location");
    assert!(
        back.starts_with(&format!("http://{HOST}/settings/api")),
        "{back}"
    );
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert!(page.body.contains(r#"role="switch" aria-checked="true""#));
    assert!(page.body.contains(r#"name="enabled" value="false""#));
}

#[tokio::test]
async fn a_refused_plain_post_says_why_in_words() {
    let app = TestApp::new().await;
    let analyst = app.sign_in(ANALYST).await;
    let reply = post_switch(&app, Some(&analyst), "enabled=true").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(reply.header("content-type").starts_with("text/plain"));
    assert!(
        reply
            .body
            .starts_with("You don't have access to this page."),
        "{}",
        reply.body
    );
    assert_eq!(reply.header("location"), "");

    let admin = app.sign_in(ADMIN).await;
    let reply = post_switch(&app, Some(&admin), "enabled=maybe").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body.starts_with("The request could not be read."),
        "{}",
        reply.body
    );

    let reply = post_switch(&app, None, "enabled=true").await;
    assert_eq!(
        reply.status,
        StatusCode::SEE_OTHER,
        "an ended session signs in again"
    );
    assert_eq!(reply.header("location"), "/login");
    let stored: bool = query("SELECT api_access_enabled FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert!(!stored, "nothing refused was saved");
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
    assert_eq!(json["account_sid"], app.account_sid().await.as_str());
    assert_eq!(json["user_id"], app.user_id(FINANCE).await);
}

/// The account's audit events that are not about a token, oldest first:
/// (action, actor, detail, created_at).
async fn account_events(app: &TestApp) -> Vec<(String, i64, String, i64)> {
    query(
        "SELECT action, actor_id, detail, created_at FROM audit_events
         WHERE token_id IS NULL ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn switching_api_access_on_and_off_is_audited_with_actor_and_time() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(SPECIALIST).await;
    let specialist = app.user_id(SPECIALIST).await;
    let account: i64 = query("SELECT id FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    for on in [true, false] {
        let reply = app
            .call("set_api_access", Some(&cookie), &format!("enabled={on}"))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let after = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let events = account_events(&app).await;
    assert_eq!(events.len(), 2, "{events:?}");
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(actions, ["api_access_enabled", "api_access_disabled"]);
    for (action, actor, detail, at) in &events {
        assert_eq!(*actor, specialist, "{action}");
        assert!((before..=after).contains(at), "{action} at {at}");
        let detail: serde_json::Value = serde_json::from_str(detail).unwrap();
        assert_eq!(detail["changes"][0]["field"], "API access", "{action}");
    }
    let owners: Vec<i64> = query("SELECT account_id FROM audit_events WHERE token_id IS NULL")
        .scalars(&app.pool)
        .await
        .unwrap();
    assert_eq!(owners, [account, account]);
}

#[tokio::test]
async fn switching_to_the_current_value_writes_no_event() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let off = app
        .call("set_api_access", Some(&cookie), "enabled=false")
        .await;
    assert_eq!(off.status, StatusCode::OK);
    assert_eq!(off.body, "false");
    assert!(account_events(&app).await.is_empty());
    app.set_api_access(&cookie, true).await;
    app.set_api_access(&cookie, true).await;
    assert_eq!(account_events(&app).await.len(), 1);
}

#[tokio::test]
async fn a_refused_switch_writes_no_event() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ANALYST).await;
    let reply = app
        .call("set_api_access", Some(&cookie), "enabled=true")
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert!(account_events(&app).await.is_empty());
    let stored: bool = query("SELECT api_access_enabled FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert!(!stored);
}

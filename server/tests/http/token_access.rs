//! Who may change a token, and when: roles, other accounts, stale revisions and
//! unreadable requests to `get_token` and `change_token`.

use super::harness::{names, TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_stale_edit_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let alex = app.sign_in(ADMIN).await;
    let sam = app.sign_in(SPECIALIST).await;
    let token = app.make_token(&alex, "Feed sync").await;
    // Both open revision 1; Sam saves first.
    let first = app
        .change_at(
            &sam,
            &token.sid,
            1,
            json!({ "Overview": { "name": "Sam's name", "description": "" } }),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    let second = app
        .change_at(
            &alex,
            &token.sid,
            1,
            json!({ "Overview": { "name": "Alex's name", "description": "" } }),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    assert!(
        second.body.contains("Someone else changed this token"),
        "{}",
        second.body
    );
    assert!(second.body.contains("revision 2"));
    let list = app.list(&alex, json!({})).await;
    assert_eq!(names(&list), ["Sam's name"]);
    // Every kind of change checks the revision, the dangerous ones too.
    for change in [
        json!("Reset"),
        json!("Delete"),
        json!({ "SetEnabled": { "enabled": false } }),
    ] {
        let stale = app.change_at(&alex, &token.sid, 1, change).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
    }
    assert_eq!(app.revision(&token.sid).await, 2);
}

#[tokio::test]
async fn roles_without_token_rights_get_403() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let token = app.make_token(&admin, "Feed sync").await;
    for email in [ANALYST, FINANCE] {
        let cookie = app.sign_in(email).await;
        assert_eq!(
            app.detail(&cookie, &token.sid).await.status,
            StatusCode::FORBIDDEN
        );
        let change = app.change(&cookie, &token.sid, json!("Delete")).await;
        assert_eq!(change.status, StatusCode::FORBIDDEN, "{email}");
        let page = app
            .get(
                &format!("/settings/api/tokens/{}", token.sid),
                Some(&cookie),
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        assert!(page.body.contains("You don't have access to this page."));
    }
    let signed_out = app.change_at("", &token.sid, 1, json!("Delete")).await;
    assert_eq!(signed_out.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.revision(&token.sid).await, 1);
}

#[tokio::test]
async fn another_accounts_token_is_404_like_an_unknown_one() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let ours = app.make_token(&admin, "Feed sync").await;
    // A second account with its own administrator and token.
    let other = server::commands::users::create_account(&app.pool, "Birch Cycles")
        .await
        .unwrap();
    server::commands::users::create_user(
        &app.pool,
        other.as_str(),
        "boss@birch.test",
        "Robin Birch",
        app::domain::Role::AccountAdmin,
        super::harness::PASSWORD,
    )
    .await
    .unwrap();
    let theirs_cookie = app.sign_in("boss@birch.test").await;
    let theirs = app
        .make_token_for(&theirs_cookie, "Birch feed", "boss@birch.test")
        .await;

    let unknown = format!("TS{}", "a".repeat(32));
    for sid in [theirs.as_str(), unknown.as_str(), "not-a-sid"] {
        assert_eq!(
            app.detail(&admin, sid).await.status,
            StatusCode::NOT_FOUND,
            "{sid}"
        );
        let change = app.change_at(&admin, sid, 1, json!("Delete")).await;
        assert_eq!(change.status, StatusCode::NOT_FOUND, "{sid}");
        let page = app
            .get(&format!("/settings/api/tokens/{sid}"), Some(&admin))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{sid}");
    }
    // Same answer body whether the token exists elsewhere or nowhere.
    let a = app.detail(&admin, &theirs).await.body;
    let b = app.detail(&admin, &unknown).await.body;
    assert_eq!(a, b);
    assert_eq!(app.revision(&theirs).await, 1);
    assert_eq!(app.revision(&ours.sid).await, 1);
}

#[tokio::test]
async fn unreadable_changes_are_400() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let reply = app
        .change(&cookie, &token.sid, json!({ "Explode": {} }))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let missing = app
        .call_json("change_token", Some(&cookie), &json!({ "sid": token.sid }))
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.revision(&token.sid).await, 1);
}

//! An account keeps an administrator: the last active one stays one, and no administrator
//! disables or resets themselves; a refused change writes nothing.

use super::harness::{TestApp, ADMIN, FINANCE};
use super::users::{actions, change};
use app::domain::user_admin::UserChange;
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn the_last_active_administrator_stays_one() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let admin_id = app.user_id(ADMIN).await;
    for what in [
        json!({ "SetRole": "analyst" }),
        json!("Disable"),
        json!("ResetPassword"),
    ] {
        let reply = change(&app, &admin, admin_id, what.clone()).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            reply.body
        );
    }
    let demote = change(&app, &admin, admin_id, json!({ "SetRole": "analyst" })).await;
    assert!(
        demote.body.contains("last active Account Administrator"),
        "{}",
        demote.body
    );
    // The operator's command keeps the same rule.
    let refused =
        server::commands::users::change_user(&app.pool, ADMIN, UserChange::Disable, None).await;
    assert!(refused.unwrap_err().to_string().contains("last active"));

    // With a second administrator, the first may step down.
    let finance_id = app.user_id(FINANCE).await;
    let promoted = change(
        &app,
        &admin,
        finance_id,
        json!({ "SetRole": "account_admin" }),
    )
    .await;
    assert_eq!(promoted.status, StatusCode::OK);
    let stepped_down = change(&app, &admin, admin_id, json!({ "SetRole": "analyst" })).await;
    assert_eq!(stepped_down.status, StatusCode::OK, "{}", stepped_down.body);
    // At once: the same session no longer manages users.
    assert_eq!(
        app.call("list_users", Some(&admin), "").await.status,
        StatusCode::FORBIDDEN
    );
    let finance = app.sign_in(FINANCE).await;
    let last = change(
        &app,
        &finance,
        admin_id,
        json!({ "SetRole": "account_admin" }),
    )
    .await;
    assert_eq!(last.status, StatusCode::OK);
    let count: i64 =
        query("SELECT COUNT(*) FROM users WHERE role = 'account_admin' AND disabled_at IS NULL")
            .scalar(&app.pool)
            .await
            .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn administrators_cant_disable_or_reset_themselves_and_nothing_changes_twice() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let finance_id = app.user_id(FINANCE).await;
    let promoted = change(
        &app,
        &admin,
        finance_id,
        json!({ "SetRole": "account_admin" }),
    )
    .await;
    assert_eq!(promoted.status, StatusCode::OK);
    let admin_id = app.user_id(ADMIN).await;
    let disable_self = change(&app, &admin, admin_id, json!("Disable")).await;
    assert_eq!(disable_self.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(disable_self.body.contains("can't disable yourself"));
    let reset_self = change(&app, &admin, admin_id, json!("ResetPassword")).await;
    assert_eq!(reset_self.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reset_self.body.contains("Use Change password"),
        "{}",
        reset_self.body
    );
    // Nothing happened: the session goes on and the password still signs in.
    let page = app.get("/settings/users", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    app.sign_in(ADMIN).await;
    assert_eq!(actions(&app).await.last().unwrap(), "user_role_changed");
    let same = change(
        &app,
        &admin,
        finance_id,
        json!({ "SetRole": "account_admin" }),
    )
    .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Another account's user is not found, whoever they are.
    let unknown = change(&app, &admin, 999_999, json!("Disable")).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

//! The rules of `/settings/users` where timing matters: two administrators at once, a
//! check made again inside the write, a sign-in racing a Disable or Reset, a temporary
//! password's reach, and the operator's commands.

use super::harness::{TestApp, ADMIN, ANALYST, FINANCE};
use super::users::{actions, add, alive, change, password_of, sign_in_with};
use app::domain::user_admin::UserChange;
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::json;

/// Both requests pass their sign-in check before either writes; the second to write then
/// finds its actor disabled (403), an answer a request made after the first can't get (its
/// session is already gone: 401). Rounds repeat until that race is seen.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_administrators_disabling_each_other_at_once_leave_one() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let finance_id = app.user_id(FINANCE).await;
    let admin_id = app.user_id(ADMIN).await;
    let promoted = change(
        &app,
        &admin,
        finance_id,
        json!({ "SetRole": "account_admin" }),
    )
    .await;
    assert_eq!(promoted.status, StatusCode::OK);
    let mut outcomes = Vec::new();
    for _ in 0..10 {
        let (admin, finance) = (app.sign_in(ADMIN).await, app.sign_in(FINANCE).await);
        let barrier = tokio::sync::Barrier::new(2);
        let (a, b) = tokio::join!(
            async {
                barrier.wait().await;
                change(&app, &admin, finance_id, json!("Disable")).await
            },
            async {
                barrier.wait().await;
                change(&app, &finance, admin_id, json!("Disable")).await
            },
        );
        let active: i64 = query(
            "SELECT COUNT(*) FROM users WHERE role = 'account_admin' AND disabled_at IS NULL",
        )
        .scalar(&app.pool)
        .await
        .unwrap();
        assert_eq!(active, 1, "{} / {}", a.body, b.body);
        let mut statuses = [a.status.as_u16(), b.status.as_u16()];
        statuses.sort();
        outcomes.push(statuses);
        // The one left enables the other for the next round.
        let (winner, loser_id) = if a.status == StatusCode::OK {
            (&admin, finance_id)
        } else {
            (&finance, admin_id)
        };
        let enabled = change(&app, winner, loser_id, json!("Enable")).await;
        assert_eq!(enabled.status, StatusCode::OK, "{outcomes:?}");
        if statuses == [200, 403] {
            eprintln!("raced in round {}: {outcomes:?}", outcomes.len());
            return;
        }
    }
    panic!("no round raced (each one's outcome): {outcomes:?}");
}

#[tokio::test]
async fn the_operator_resets_and_disables_from_the_command_line() {
    let app = TestApp::new().await;
    let analyst = app.sign_in(ANALYST).await;
    server::commands::users::change_user(
        &app.pool,
        ANALYST,
        UserChange::ResetPassword,
        Some("an operator's temporary"),
    )
    .await
    .unwrap();
    assert!(!alive(&app, &analyst).await);
    let reply = sign_in_with(&app, ANALYST, "an operator's temporary").await;
    assert_eq!(reply.header("location"), "/settings/password");
    server::commands::users::change_user(&app.pool, ANALYST, UserChange::Disable, None)
        .await
        .unwrap();
    assert_eq!(
        sign_in_with(&app, ANALYST, "an operator's temporary")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let unknown = server::commands::users::change_user(
        &app.pool,
        "nobody@acme.test",
        UserChange::Enable,
        None,
    )
    .await;
    assert!(unknown
        .unwrap_err()
        .to_string()
        .contains("no user signs in with"));
    let actors: Vec<(Option<i64>,)> =
        query("SELECT actor_id FROM audit_events WHERE action LIKE 'user_%'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(actors, [(None,), (None,)]);
}

#[tokio::test]
async fn a_change_is_checked_against_who_the_actor_is_when_it_is_written() {
    use app::domain::user_admin::UserChange;
    use app::ssr::db::user_admin;
    let app = TestApp::new().await;
    let account: i64 = query("SELECT account_id FROM users WHERE email = $1")
        .bind(ADMIN)
        .scalar(&app.pool)
        .await
        .unwrap();
    // As if the permission check had passed before the actor was demoted: the write's own
    // check refuses it.
    let analyst = app.user_id(ANALYST).await;
    let finance = app.user_id(FINANCE).await;
    let refused = user_admin::change(
        &app.pool,
        account,
        Some(analyst),
        finance,
        UserChange::Disable,
        None,
        app::ssr::now(),
    )
    .await;
    assert_eq!(refused, Err(app::error::AppError::Forbidden));
    assert!(actions(&app).await.is_empty());
}

#[tokio::test]
async fn a_sign_in_that_loses_the_race_to_a_reset_or_disable_opens_no_session() {
    use app::ssr::db::sessions;
    let app = TestApp::new().await;
    let analyst = app.user_id(ANALYST).await;
    let now = app::ssr::now();
    // The hash sign-in checked is no longer the user's (a reset landed meanwhile).
    let stale = sessions::create(
        &app.pool,
        &[7u8; 32],
        analyst,
        Some("$argon2id$old"),
        now,
        now + 60,
    )
    .await;
    assert_eq!(stale, Err(app::error::AppError::Unauthorized));
    let admin = app.sign_in(ADMIN).await;
    let disabled = change(&app, &admin, analyst, json!("Disable")).await;
    assert_eq!(disabled.status, StatusCode::OK);
    let late = sessions::create(&app.pool, &[8u8; 32], analyst, None, now, now + 60).await;
    assert_eq!(late, Err(app::error::AppError::Unauthorized));
}

#[tokio::test]
async fn a_temporary_password_opens_no_home_page_data() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let added = add(&app, &admin, "temp@acme.test", "Tem Porary", "analyst").await;
    let temporary = password_of(&added);
    let cookie =
        super::harness::cookie_from(&sign_in_with(&app, "temp@acme.test", &temporary).await);
    let home = app.call("home", Some(&cookie), "").await;
    assert_eq!(home.status, StatusCode::FORBIDDEN);
    let page = app.get("/", Some(&cookie)).await;
    assert_eq!(page.header("location"), "/settings/password");
    assert!(
        !page.body.contains("admin@acme.test"),
        "no colleague's email in the redirect"
    );
}

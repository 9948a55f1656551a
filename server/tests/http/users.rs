//! `/settings/users` through the real router: who may do what, the temporary password and
//! the forced change, disabling (sessions end at once, sign-in refused, tokens keep
//! working) and home pages; the last administrator is in `users_last_admin.rs`, and
//! timing-sensitive rules are in `users_rules.rs`.

use super::harness::{Reply, TestApp, ADMIN, ANALYST, FINANCE, PASSWORD, SPECIALIST};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

pub(super) async fn add(app: &TestApp, cookie: &str, email: &str, name: &str, role: &str) -> Reply {
    let body = json!({ "user": { "email": email, "name": name, "role": role } });
    app.call_json("add_user", Some(cookie), &body).await
}

pub(super) async fn change(app: &TestApp, cookie: &str, user_id: i64, change: Value) -> Reply {
    let body = json!({ "user_id": user_id, "change": change });
    app.call_json("change_user", Some(cookie), &body).await
}

pub(super) fn password_of(reply: &Reply) -> String {
    let body: Value =
        serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("{}", reply.body));
    body["password"].as_str().unwrap().to_string()
}

pub(super) async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> Reply {
    let body = format!("email={email}&password={}", password.replace(' ', "+"));
    app.post_form("/login", None, &body).await
}

pub(super) async fn alive(app: &TestApp, cookie: &str) -> bool {
    app.call("session_info", Some(cookie), "").await.status == StatusCode::OK
}

pub(super) async fn actions(app: &TestApp) -> Vec<String> {
    query("SELECT action FROM audit_events WHERE action LIKE 'user_%' ORDER BY id")
        .fetch_all::<(String,)>(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(action,)| action)
        .collect()
}

#[tokio::test]
async fn only_account_administrators_manage_users() {
    let app = TestApp::new().await;
    let analyst = app.user_id(ANALYST).await;
    let finance_id = app.user_id(FINANCE).await;
    let admin = app.sign_in(ADMIN).await;
    let target = add(&app, &admin, "target@acme.test", "Reset Target", "analyst").await;
    assert_eq!(target.status, StatusCode::OK);
    let target = app.user_id("target@acme.test").await;
    for (email, allowed) in [
        (ADMIN, true),
        (SPECIALIST, false),
        (ANALYST, false),
        (FINANCE, false),
    ] {
        let cookie = app.sign_in(email).await;
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        let list = app.call("list_users", Some(&cookie), "").await;
        assert_eq!(list.status, expected, "list as {email}");
        let page = app.get("/settings/users", Some(&cookie)).await;
        assert_eq!(page.status, expected, "page as {email}");
        let new_email = format!("new-{}", email.replace('@', "-at-")) + "@acme.test";
        let added = add(&app, &cookie, &new_email, "New Person", "analyst").await;
        assert_eq!(added.status, expected, "add as {email}: {}", added.body);
        // Each change, made to a user it would change.
        let changes = [
            (finance_id, json!({ "SetRole": "analyst" })),
            (finance_id, json!({ "SetRole": "finance" })),
            (analyst, json!("Disable")),
            (analyst, json!("Enable")),
            (target, json!("ResetPassword")),
        ];
        for (user_id, what) in changes {
            let reply = change(&app, &cookie, user_id, what.clone()).await;
            assert_eq!(reply.status, expected, "{what} as {email}: {}", reply.body);
        }
    }
    // Nobody signed in: 401 for each.
    assert_eq!(
        app.call("list_users", None, "").await.status,
        StatusCode::UNAUTHORIZED
    );
    let body = json!({ "user": { "email": "x@acme.test", "name": "X", "role": "analyst" } });
    let added = app.call_json("add_user", None, &body).await;
    assert_eq!(added.status, StatusCode::UNAUTHORIZED);
    let body = json!({ "user_id": analyst, "change": "Disable" });
    let changed = app.call_json("change_user", None, &body).await;
    assert_eq!(changed.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        actions(&app).await,
        [
            "user_added",
            "user_added",
            "user_role_changed",
            "user_role_changed",
            "user_disabled",
            "user_enabled",
            "user_password_reset"
        ]
    );
}

#[tokio::test]
async fn a_new_user_signs_in_with_the_temporary_password_and_must_change_it() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let added = add(
        &app,
        &admin,
        "robin@acme.test",
        "  Robin Park ",
        "implementation_specialist",
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("Robin Park <robin@acme.test>"));
    let temporary = password_of(&added);
    assert_eq!(temporary.len(), 20);
    // Only its hash is stored.
    assert!(app.leaked_now(&temporary).is_empty());

    let reply = sign_in_with(&app, "robin@acme.test", &temporary).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/settings/password");
    let cookie = super::harness::cookie_from(&reply);
    // Until the password is changed, nothing but the session and Change password.
    assert_eq!(
        app.call("api_settings", Some(&cookie), "").await.status,
        StatusCode::FORBIDDEN
    );
    for path in ["/", "/settings/api"] {
        let page = app.get(path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FOUND, "{path}");
        assert_eq!(page.header("location"), "/settings/password", "{path}");
    }
    let page = app.get("/settings/password", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .body
        .contains("You signed in with a temporary password"));

    let body = json!({ "change": { "current": temporary, "new": "robin's own passphrase", "confirm": "robin's own passphrase" } });
    let changed = app.call_json("change_password", Some(&cookie), &body).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(
        app.call("api_settings", Some(&cookie), "").await.status,
        StatusCode::OK
    );
    let again = sign_in_with(&app, "robin@acme.test", "robin's own passphrase").await;
    assert_eq!(again.header("location"), "/");

    let list = app.call("list_users", Some(&admin), "").await;
    let list: Value = serde_json::from_str(&list.body).unwrap();
    let robin = list["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "robin@acme.test")
        .unwrap();
    assert_eq!(robin["role"], "implementation_specialist");
    assert_eq!(robin["temporary_password"], false);
    assert!(robin["last_sign_in"].as_str().unwrap().ends_with(" UTC"));
}

#[tokio::test]
async fn add_user_explains_every_bad_field() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let bad = add(&app, &admin, "not an email", "", "boss").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_str(&bad.body).unwrap();
    let fields: Vec<&str> = body["UserFields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["Email", "Name", "Role"]);
    let taken = add(&app, &admin, "ANALYST@acme.test", "Someone", "finance").await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert!(taken
        .body
        .contains("Another user already signs in with this email."));
    // Junk is a 400, never a 500.
    let junk = app
        .call_json("add_user", Some(&admin), &json!({ "user": 5 }))
        .await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    let junk = app
        .call_json(
            "change_user",
            Some(&admin),
            &json!({ "user_id": 1, "change": "Promote" }),
        )
        .await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    assert!(actions(&app).await.is_empty());
}

#[tokio::test]
async fn disabling_ends_sessions_at_once_and_refuses_sign_in_but_tokens_keep_working() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let specialist = app.sign_in(SPECIALIST).await;
    let other_device = app.sign_in(SPECIALIST).await;
    app.set_api_access(&admin, true).await;
    let made = app.make_token(&specialist, "Made by Sam").await;
    let specialist_id = app.user_id(SPECIALIST).await;

    let reply = change(&app, &admin, specialist_id, json!("Disable")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(!alive(&app, &specialist).await);
    assert!(!alive(&app, &other_device).await);
    let refused = sign_in_with(&app, SPECIALIST, PASSWORD).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("This user is disabled"));
    assert!(refused.header("set-cookie").is_empty());
    // A wrong password learns nothing more than before.
    let wrong = sign_in_with(&app, SPECIALIST, "not the password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

    // Their token still authenticates, and shows its creator as disabled.
    let account = app.account_sid().await;
    let authorization = super::harness::basic(&made.sid, &made.secret);
    let path = format!("/Advertisers/{account}/Reports");
    let call = app.api("GET", &path, Some(&authorization), &[], "").await;
    assert_eq!(call.status, StatusCode::OK, "{}", call.body);
    let detail = app.detail(&admin, &made.sid).await;
    assert!(
        detail.body.contains("Sam Rivera (disabled)"),
        "{}",
        detail.body
    );
    // They can't be a new token's primary contact, nor be offered as one.
    let contacts = app.call("list_contacts", Some(&admin), "").await;
    assert!(!contacts.body.contains(SPECIALIST));
    let overrides = json!({ "primary_contact": specialist_id, "scopes": ["reports:get"] });
    let draft = json!({ "draft": app.review_draft("Needs a contact", overrides).await });
    let create = app.call_json("create_token", Some(&admin), &draft).await;
    assert_eq!(
        create.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        create.body
    );
    assert!(create
        .body
        .contains("This user is disabled. Choose another primary contact."));

    let enabled = change(&app, &admin, specialist_id, json!("Enable")).await;
    assert_eq!(enabled.status, StatusCode::OK);
    assert_eq!(
        sign_in_with(&app, SPECIALIST, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let events: Vec<(String, Option<i64>, String)> =
        query("SELECT action, actor_id, detail FROM audit_events WHERE action = 'user_disabled'")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].1, Some(app.user_id(ADMIN).await));
    assert!(events[0].2.contains("Sam Rivera <specialist@acme.test>"));
    assert!(events[0].2.contains("Signed-in sessions"));
}

#[tokio::test]
async fn a_password_reset_ends_sessions_and_issues_a_temporary_password() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let analyst = app.sign_in(ANALYST).await;
    let reply = change(
        &app,
        &admin,
        app.user_id(ANALYST).await,
        json!("ResetPassword"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let temporary = password_of(&reply);
    assert!(!alive(&app, &analyst).await);
    assert_eq!(
        sign_in_with(&app, ANALYST, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = sign_in_with(&app, ANALYST, &temporary).await;
    assert_eq!(again.header("location"), "/settings/password");
}

#[tokio::test]
async fn every_role_has_a_home_and_sees_only_its_places() {
    let app = TestApp::new().await;
    let analyst = app.sign_in(ANALYST).await;
    let home = app.get("/", Some(&analyst)).await;
    assert_eq!(home.status, StatusCode::OK);
    for text in [
        "Welcome, Jordan Lee",
        "Acme Outdoor",
        "Analyst",
        "API access tokens",
        "Alex Morgan &lt;admin@acme.test&gt;",
        "Sam Rivera &lt;specialist@acme.test&gt;",
    ] {
        assert!(home.body.contains(text), "{text} in {}", home.body);
    }
    assert!(!home.body.contains("href=\"/settings/api\""));
    assert!(!home.body.contains("href=\"/settings/users\""));
    let admin = app.sign_in(ADMIN).await;
    let home = app.get("/", Some(&admin)).await;
    assert!(home.body.contains("href=\"/settings/api\""));
    assert!(home.body.contains("href=\"/settings/users\""));
    assert!(!home.body.contains("API access tokens"));
    let specialist = app.sign_in(SPECIALIST).await;
    let home = app.get("/", Some(&specialist)).await;
    assert!(home.body.contains("href=\"/settings/api\""));
    assert!(!home.body.contains("href=\"/settings/users\""));
    // The home facts for every role.
    for email in [ADMIN, SPECIALIST, ANALYST, FINANCE] {
        let cookie = app.sign_in(email).await;
        let info = app.call("home", Some(&cookie), "").await;
        assert_eq!(info.status, StatusCode::OK, "{email}");
        assert!(info.body.contains(email));
    }
}

//! Authenticator apps and recovery codes: set up with a first code, asked for after the
//! password, each code accepted once, each recovery code used once, wrong codes throttled
//! like wrong passwords; every change audited and mailed.

use super::harness::{cookie_from, Reply, TestApp, ADMIN};
use app::ssr::db::engine::query;
use app::ssr::totp::SharedKey;
use http::StatusCode;
use serde_json::json;

/// The admin's authenticator app, set up through the Security page's calls: the key and
/// the 10 recovery codes shown.
pub async fn set_up_app(app: &TestApp, cookie: &str) -> (SharedKey, Vec<String>) {
    let started = app.call("start_app_set_up", Some(cookie), "").await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let shown: serde_json::Value = serde_json::from_str(&started.body).unwrap();
    assert!(shown["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let typed = shown["manual_key"].as_str().unwrap().replace(' ', "");
    let key = SharedKey::from_base32(&typed).expect("the key is base32");
    let code = key.code_at(app::ssr::now());
    let confirmed = app
        .call_json("confirm_app", Some(cookie), &json!({ "code": code }))
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes: serde_json::Value = serde_json::from_str(&confirmed.body).unwrap();
    let codes = codes["codes"].as_array().unwrap().iter();
    (
        key,
        codes.map(|c| c.as_str().unwrap().to_string()).collect(),
    )
}

/// Posts the password step; the pending sign-in's cookie.
async fn password_step(app: &TestApp, email: &str) -> String {
    let body = format!("email={email}&password={}", super::harness::PASSWORD);
    let reply = app.post_form("/login", None, &body).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/login/two-factor");
    let cookie = cookie_from(&reply);
    assert!(cookie.starts_with("tokensmith_pending="), "{cookie}");
    cookie
}

async fn code_step(app: &TestApp, pending: &str, code: &str) -> Reply {
    app.post_form("/login/two-factor", Some(pending), &format!("code={code}"))
        .await
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    query(sql).scalar(&app.pool).await.unwrap()
}

#[tokio::test]
async fn an_app_is_confirmed_by_a_first_code_and_then_asked_for_after_the_password() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let started = app.call("start_app_set_up", Some(&admin), "").await;
    let shown: serde_json::Value = serde_json::from_str(&started.body).unwrap();
    let typed = shown["manual_key"].as_str().unwrap().replace(' ', "");
    let key = SharedKey::from_base32(&typed).unwrap();
    // A wrong first code changes nothing, and the app doesn't count yet.
    let wrong = app
        .call_json("confirm_app", Some(&admin), &json!({ "code": "000000" }))
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("doesn't match"));
    let signed_in = app.sign_in(ADMIN).await;
    assert!(
        signed_in.starts_with("tokensmith_session="),
        "no code asked before it is confirmed"
    );
    let now = app::ssr::now();
    let confirmed = app
        .call_json(
            "confirm_app",
            Some(&admin),
            &json!({ "code": key.code_at(now) }),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let codes: serde_json::Value = serde_json::from_str(&confirmed.body).unwrap();
    assert_eq!(codes["codes"].as_array().unwrap().len(), 10);
    let overview = app.call("security", Some(&admin), "").await;
    assert!(
        overview.body.contains("\"recovery_codes_left\":10"),
        "{}",
        overview.body
    );
    // Every other session ended: whoever was signed in elsewhere must now pass the app.
    let elsewhere = app.call("session_info", Some(&signed_in), "").await;
    assert_eq!(elsewhere.status, StatusCode::UNAUTHORIZED);
    // Now the password alone opens no session.
    let pending = password_step(&app, ADMIN).await;
    let home = app.get("/", Some(&pending)).await;
    assert_ne!(
        home.status,
        StatusCode::OK,
        "a pending sign-in is no session"
    );
    // The code that confirmed the app was used: it is refused (a replay).
    let replay = code_step(&app, &pending, &key.code_at(now)).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    assert!(
        replay.body.contains("incorrect or was already used"),
        "{}",
        replay.body
    );
    // The next step's code works, and opens a session.
    let next = key.code_at(now + 30);
    let done = code_step(&app, &pending, &next).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.header("location"), "/");
    let session = cookie_from(&done);
    assert!(session.starts_with("tokensmith_session="));
    assert_eq!(
        app.call("session_info", Some(&session), "").await.status,
        StatusCode::OK
    );
    // The pending sign-in is over: its cookie opens nothing more.
    let again = code_step(&app, &pending, &next).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains("Sign in again"), "{}", again.body);
    // And the same code on a new pending sign-in is a replay.
    let pending = password_step(&app, ADMIN).await;
    assert_eq!(
        code_step(&app, &pending, &next).await.status,
        StatusCode::UNAUTHORIZED
    );
    let added = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor_added'";
    assert_eq!(count(&app, added).await, 1);
    let mailed = "SELECT COUNT(*) FROM notifications
                  WHERE recipient = 'admin@acme.test' AND token_id IS NULL
                  AND subject = 'Your Tokensmith sign-in: authenticator app added'";
    assert_eq!(count(&app, mailed).await, 1);
}

#[tokio::test]
async fn each_recovery_code_works_once_and_new_ones_replace_the_old() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let (_, codes) = set_up_app(&app, &admin).await;
    let pending = password_step(&app, ADMIN).await;
    // Typed in capitals and without the hyphen, it is the same code.
    let typed = codes[0].replace('-', "").to_uppercase();
    let done = code_step(&app, &pending, &typed).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let pending = password_step(&app, ADMIN).await;
    let reused = code_step(&app, &pending, &codes[0]).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED);
    let session = cookie_from(&code_step(&app, &pending, &codes[1]).await);
    let overview = app.call("security", Some(&session), "").await;
    assert!(
        overview.body.contains("\"recovery_codes_left\":8"),
        "{}",
        overview.body
    );
    let used = "SELECT COUNT(*) FROM audit_events WHERE action = 'recovery_code_used'";
    assert_eq!(count(&app, used).await, 2);
    let fresh = app
        .call("regenerate_recovery_codes", Some(&session), "")
        .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    let pending = password_step(&app, ADMIN).await;
    let old = code_step(&app, &pending, &codes[2]).await;
    assert_eq!(
        old.status,
        StatusCode::UNAUTHORIZED,
        "old codes stop working"
    );
}

#[tokio::test]
async fn wrong_codes_count_as_failed_sign_ins_of_the_account() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    set_up_app(&app, &admin).await;
    // Five wrong codes end a pending sign-in: the password must be given again.
    for _ in 0..2 {
        let pending = password_step(&app, ADMIN).await;
        for _ in 0..5 {
            let wrong = code_step(&app, &pending, "123456").await;
            assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
            assert!(wrong.body.contains("incorrect"), "{}", wrong.body);
        }
        let ended = code_step(&app, &pending, "123456").await;
        assert!(ended.body.contains("Sign in again"), "{}", ended.body);
    }
    // Ten wrong codes in all: the account's limit, as for wrong passwords. The right
    // password doesn't reset it; the password step is throttled too.
    let body = format!("email={ADMIN}&password={}", super::harness::PASSWORD);
    let reply = app.post_form("/login", None, &body).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    // The first wrong code of each pending sign-in is audited and mailed: whoever sent it
    // has the password.
    let failed = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor_failed'";
    assert_eq!(count(&app, failed).await, 2);
    let told = "SELECT COUNT(*) FROM notifications WHERE recipient = 'admin@acme.test'
                AND subject = 'Your Tokensmith sign-in: right password, wrong code'";
    assert_eq!(count(&app, told).await, 2);
    // Malformed codes say what a code looks like.
    let other = TestApp::new().await;
    let admin = other.sign_in(ADMIN).await;
    set_up_app(&other, &admin).await;
    let pending = password_step(&other, ADMIN).await;
    let odd = code_step(&other, &pending, "12ab").await;
    assert_eq!(odd.status, StatusCode::UNAUTHORIZED);
    assert!(odd.body.contains("6-digit code"), "{}", odd.body);
}

#[tokio::test]
async fn without_a_pending_sign_in_the_code_step_sends_back_to_sign_in() {
    let app = TestApp::new().await;
    let none = app
        .post_form("/login/two-factor", None, "code=123456")
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert!(none.body.contains("Sign in again"));
    let made_up = format!("tokensmith_pending={}", "A".repeat(43));
    let forged = app
        .post_form("/login/two-factor", Some(&made_up), "code=123456")
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let admin = app.sign_in(ADMIN).await;
    set_up_app(&app, &admin).await;
    let pending = password_step(&app, ADMIN).await;
    query("UPDATE pending_sign_ins SET expires_at = 0")
        .execute(&app.pool)
        .await
        .unwrap();
    let late = code_step(&app, &pending, "123456").await;
    assert_eq!(late.status, StatusCode::UNAUTHORIZED);
    assert!(late.body.contains("took too long"));
    let cancelled = app
        .post_form("/login/two-factor/cancel", Some(&pending), "")
        .await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert!(cancelled.header("set-cookie").contains("Max-Age=0"));
}

#[tokio::test]
async fn removing_the_app_needs_a_recent_proof_and_ends_the_second_step() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let (key, _) = set_up_app(&app, &admin).await;
    query("UPDATE sessions SET proved_at = proved_at - 16 * 60")
        .execute(&app.pool)
        .await
        .unwrap();
    let stale = app.call("remove_app", Some(&admin), "").await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    assert!(stale.body.contains("ConfirmAccess"), "{}", stale.body);
    // With an app, the password alone doesn't confirm: a code does.
    let body = format!(
        "password={}&next=/settings/security",
        super::harness::PASSWORD
    );
    let password_only = app.post_form("/confirm-access", Some(&admin), &body).await;
    assert_eq!(password_only.status, StatusCode::UNAUTHORIZED);
    assert!(
        password_only
            .body
            .contains("confirm with a passkey, a code"),
        "{}",
        password_only.body
    );
    let code = key.code_at(app::ssr::now() + 30);
    let confirmed = app
        .post_form(
            "/confirm-access",
            Some(&admin),
            &format!("code={code}&next=/settings/security"),
        )
        .await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.body
    );
    assert_eq!(confirmed.header("location"), "/settings/security");
    assert_eq!(
        app.call("remove_app", Some(&admin), "").await.status,
        StatusCode::OK
    );
    assert!(app.sign_in(ADMIN).await.starts_with("tokensmith_session="));
    let removed = "SELECT COUNT(*) FROM audit_events WHERE action = 'second_factor_removed'";
    assert_eq!(count(&app, removed).await, 1);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM recovery_codes").await, 0);
    assert_eq!(
        app.call("remove_app", Some(&admin), "").await.status,
        StatusCode::NOT_FOUND
    );
}

//! Passkeys through the router: added after a recent proof, signing in alone, serving
//! after the password and for Confirm access; each challenge used once, bound to its
//! purpose and user; a cloned or foreign passkey refused; every table bounded.

use super::harness::{cookie_from, Reply, TestApp, ADMIN, ANALYST, HOST, PASSWORD, PUBLIC_URL};
use super::soft_passkey::SoftPasskey;
use app::ssr::db::engine::query;
use axum::body::Body;
use http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

impl TestApp {
    /// A same-origin JSON post, as `/passkey.js` sends; `cookies` as the browser holds them.
    pub async fn post_json(&self, path: &str, cookies: Option<&str>, body: &Value) -> Reply {
        let body = body.to_string();
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin");
        if let Some(cookies) = cookies {
            request = request.header(header::COOKIE, cookies);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }
}

pub fn parsed(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("not JSON: {}", reply.body))
}

/// Starts a ceremony; the challenge id and the options, or the refusal.
pub async fn options(app: &TestApp, cookies: Option<&str>, body: Value) -> Reply {
    app.post_json("/login/passkeys/options", cookies, &body)
        .await
}

pub async fn answer(
    app: &TestApp,
    cookies: Option<&str>,
    challenge: &Value,
    credential: Value,
) -> Reply {
    let body = json!({ "challenge": challenge["challenge"], "credential": credential, "next": "/settings/security" });
    app.post_json("/login/passkeys/answer", cookies, &body)
        .await
}

/// Adds a passkey named `name` for the signed-in user of `cookie`; the authenticator and
/// the answer.
pub async fn add_passkey(app: &TestApp, cookie: &str, name: &str) -> (SoftPasskey, Reply) {
    let started = options(
        app,
        Some(cookie),
        json!({ "purpose": "register", "name": name }),
    )
    .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let started = parsed(&started);
    let mut passkey = SoftPasskey::new(PUBLIC_URL);
    let credential = passkey.create(&started["publicKey"]);
    let added = answer(app, Some(cookie), &started, credential).await;
    (passkey, added)
}

/// Signs in with `passkey` alone; the answer.
pub async fn sign_in_with(app: &TestApp, passkey: &mut SoftPasskey) -> Reply {
    let started = options(app, None, json!({ "purpose": "sign_in" })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let started = parsed(&started);
    let credential = passkey.get(&started["publicKey"]);
    answer(app, None, &started, credential).await
}

pub async fn count(app: &TestApp, sql: &'static str) -> i64 {
    query(sql).scalar(&app.pool).await.unwrap()
}

#[tokio::test]
async fn a_passkey_is_added_then_signs_in_alone() {
    let app = TestApp::with_mail().await;
    let admin = app.sign_in(ADMIN).await;
    let elsewhere = app.sign_in(ADMIN).await;
    let (mut passkey, added) = add_passkey(&app, &admin, "Work laptop").await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    // The first factor brings 10 recovery codes, shown this once.
    let codes = parsed(&added)["recovery_codes"].as_array().unwrap().clone();
    assert_eq!(codes.len(), 10);
    // Only their hashes are stored, and nothing logs them.
    let code = codes[0].as_str().unwrap();
    assert!(app.leaked_now(code).is_empty(), "{code}");
    assert!(app.leaked_now(&code.replace('-', "")).is_empty(), "{code}");
    // Like confirming an app, adding a passkey ends the user's other sessions.
    let other = app.call("session_info", Some(&elsewhere), "").await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED);
    let overview = parsed(&app.call("security", Some(&admin), "").await);
    assert_eq!(overview["passkeys"][0]["name"], "Work laptop");
    assert_eq!(overview["passkeys"][0]["last_used"], Value::Null);
    assert_eq!(overview["passkeys_at"], PUBLIC_URL);
    assert_eq!(overview["recovery_codes_left"], 10);
    // A second one brings no new codes.
    let (_, second) = add_passkey(&app, &admin, "Phone").await;
    assert_eq!(parsed(&second)["recovery_codes"], Value::Null);
    let added = "SELECT COUNT(*) FROM audit_events WHERE action = 'passkey_added'";
    assert_eq!(count(&app, added).await, 2);
    let mailed = "SELECT COUNT(*) FROM notifications
                  WHERE recipient = 'admin@acme.test' AND token_id IS NULL
                  AND subject = 'Your Tokensmith sign-in: passkey added'";
    assert_eq!(count(&app, mailed).await, 2);

    // Signed out, the passkey alone opens a session.
    let signed_in = sign_in_with(&app, &mut passkey).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.body);
    assert_eq!(parsed(&signed_in)["next"], "/");
    let session = cookie_from(&signed_in);
    assert!(session.starts_with("tokensmith_session="), "{session}");
    assert_eq!(
        app.call("session_info", Some(&session), "").await.status,
        StatusCode::OK
    );
    let overview = parsed(&app.call("security", Some(&session), "").await);
    assert!(
        overview["passkeys"][0]["last_used"].is_string(),
        "{overview}"
    );
    // The password alone now opens no session: the second step asks for a factor.
    let body = format!("email={ADMIN}&password={PASSWORD}");
    let password = app.post_form("/login", None, &body).await;
    assert_eq!(password.header("location"), "/login/two-factor");
    // Lost the passkey? A recovery code it brought finishes the sign-in instead.
    assert!(code.contains('-'), "shown as xxxxx-xxxxx: {code}");
    let pending = cookie_from(&password);
    let recovered = app
        .post_form("/login/two-factor", Some(&pending), &format!("code={code}"))
        .await;
    assert_eq!(
        recovered.status,
        StatusCode::SEE_OTHER,
        "{}",
        recovered.body
    );
}

#[tokio::test]
async fn a_challenge_is_used_once_and_lasts_five_minutes() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let (mut passkey, _) = add_passkey(&app, &admin, "Key").await;
    let started = parsed(&options(&app, None, json!({ "purpose": "sign_in" })).await);
    // The ceremony's id is kept as its hash only.
    let id = started["challenge"].as_str().unwrap();
    assert!(app.leaked_now(id).is_empty(), "{id}");
    let credential = passkey.get(&started["publicKey"]);
    let first = answer(&app, None, &started, credential.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    // The same answer again: the challenge is gone.
    let replay = answer(&app, None, &started, credential).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    assert!(replay.body.contains("has ended"), "{}", replay.body);
    // A challenge older than 5 minutes is refused, and used up all the same.
    let started = parsed(&options(&app, None, json!({ "purpose": "sign_in" })).await);
    query("UPDATE passkey_challenges SET expires_at = expires_at - 301")
        .execute(&app.pool)
        .await
        .unwrap();
    let late = answer(&app, None, &started, passkey.get(&started["publicKey"])).await;
    assert_eq!(late.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM passkey_challenges").await,
        0
    );
}

#[tokio::test]
async fn a_passkey_serves_after_the_password_and_for_confirm_access() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let (mut passkey, _) = add_passkey(&app, &admin, "Key").await;
    let body = format!("email={ADMIN}&password={PASSWORD}");
    let pending = cookie_from(&app.post_form("/login", None, &body).await);
    assert!(pending.starts_with("tokensmith_pending="), "{pending}");
    let started = options(&app, Some(&pending), json!({ "purpose": "second_step" })).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let started = parsed(&started);
    // The request names the user's passkey: no other works.
    assert_eq!(
        started["publicKey"]["allowCredentials"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let done = answer(
        &app,
        Some(&pending),
        &started,
        passkey.get(&started["publicKey"]),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let session = cookie_from(&done);
    assert!(session.starts_with("tokensmith_session="), "{session}");
    assert!(done
        .headers
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap().starts_with("tokensmith_pending=;")));
    // Sudo mode: a stale session confirms access with the passkey.
    query("UPDATE sessions SET proved_at = proved_at - 16 * 60")
        .execute(&app.pool)
        .await
        .unwrap();
    let stale = options(
        &app,
        Some(&session),
        json!({ "purpose": "register", "name": "More" }),
    )
    .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN, "{}", stale.body);
    assert_eq!(
        parsed(&stale)["confirm_access"],
        "/confirm-access?next=%2Fsettings%2Fsecurity"
    );
    let started =
        parsed(&options(&app, Some(&session), json!({ "purpose": "confirm_access" })).await);
    let confirmed = answer(
        &app,
        Some(&session),
        &started,
        passkey.get(&started["publicKey"]),
    )
    .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(parsed(&confirmed)["next"], "/settings/security");
    let fresh = options(
        &app,
        Some(&session),
        json!({ "purpose": "register", "name": "More" }),
    )
    .await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
}

#[tokio::test]
async fn rename_and_remove_are_the_owners_and_removal_needs_a_recent_proof() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let _ = add_passkey(&app, &admin, "Key").await;
    let id = parsed(&app.call("security", Some(&admin), "").await)["passkeys"][0]["id"]
        .as_i64()
        .unwrap();
    let renamed = app
        .call(
            "rename_passkey",
            Some(&admin),
            &format!("id={id}&name=Desk+key"),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    let bad = app
        .call("rename_passkey", Some(&admin), &format!("id={id}&name="))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    // Someone else's passkey is none of theirs.
    let analyst = app.sign_in(ANALYST).await;
    let theirs = app
        .call(
            "rename_passkey",
            Some(&analyst),
            &format!("id={id}&name=Mine"),
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let gone = app
        .call("remove_passkey", Some(&analyst), &format!("id={id}"))
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    query("UPDATE sessions SET proved_at = proved_at - 16 * 60")
        .execute(&app.pool)
        .await
        .unwrap();
    let stale = app
        .call("remove_passkey", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    query("UPDATE sessions SET proved_at = proved_at + 16 * 60")
        .execute(&app.pool)
        .await
        .unwrap();
    let removed = app
        .call("remove_passkey", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    // The last factor gone, its recovery codes go too, and the password alone signs in.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM recovery_codes").await, 0);
    let audit = "SELECT COUNT(*) FROM audit_events WHERE action = 'passkey_removed'";
    assert_eq!(count(&app, audit).await, 1);
    app.sign_in(ADMIN).await;
}

#[tokio::test]
async fn the_second_step_offers_the_factors_the_user_has() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let _ = add_passkey(&app, &admin, "Key").await;
    let body = format!("email={ADMIN}&password={PASSWORD}");
    let pending = cookie_from(&app.post_form("/login", None, &body).await);
    // A passkey and no app: the passkey first, then a recovery code; all in the page as
    // sent (no script needed to show the form), and no wasm.
    let page = app.get("/login/two-factor", Some(&pending)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Use a passkey"), "{}", page.body);
    assert!(!page.body.contains("/pkg/tokensmith.js"), "{}", page.body);
    assert!(
        page.body.contains(r#"<label for="code">Recovery code"#),
        "{}",
        page.body
    );
    assert!(!page.body.contains("authenticator app"), "{}", page.body);
    assert!(page.body.find("Use a passkey") < page.body.find("Recovery code"));
    // A wrong code shows the same choices again.
    let wrong = app
        .post_form("/login/two-factor", Some(&pending), "code=aaaaa-aaaaa")
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Use a passkey"), "{}", wrong.body);
    assert!(
        wrong.body.contains(r#"<label for="code">Recovery code"#),
        "{}",
        wrong.body
    );
    // With an app and no passkey: the code, and no passkey button.
    let analyst = app.sign_in(ANALYST).await;
    super::second_factors::set_up_app(&app, &analyst).await;
    let body = format!("email={ANALYST}&password={PASSWORD}");
    let pending = cookie_from(&app.post_form("/login", None, &body).await);
    let page = app.get("/login/two-factor", Some(&pending)).await;
    assert!(
        page.body
            .contains(r#"<label for="code">Authentication code"#),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Use a passkey"), "{}", page.body);
}

//! Passkeys refused: cloned, foreign or from another origin; bad requests; ceremonies
//! bounded per address and user; one answer raced eight times.

use super::harness::{cookie_from, TestApp, ADMIN, ANALYST, PASSWORD, PUBLIC_URL};
use super::passkeys::{add_passkey, answer, count, options, parsed, sign_in_with};
use super::soft_passkey::SoftPasskey;
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_cloned_or_foreign_passkey_is_refused_and_counted() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let (mut passkey, _) = add_passkey(&app, &admin, "Key").await;
    assert_eq!(
        sign_in_with(&app, &mut passkey).await.status,
        StatusCode::OK
    );
    // A copy of the key answering with a counter the server has seen: refused.
    passkey.counter -= 1;
    let cloned = sign_in_with(&app, &mut passkey).await;
    assert_eq!(cloned.status, StatusCode::UNAUTHORIZED, "{}", cloned.body);
    assert!(
        cloned.body.contains("could not be verified"),
        "{}",
        cloned.body
    );
    // A passkey registered nowhere here.
    let mut stranger = SoftPasskey::new(PUBLIC_URL);
    stranger.create(&json!({ "user": { "id": "AAAA" }, "rp": { "id": "console.tokensmith.test" }, "challenge": "AAAA" }));
    let unknown = sign_in_with(&app, &mut stranger).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        unknown.body.contains("isn't registered"),
        "{}",
        unknown.body
    );
    // The analyst's pending sign-in can't be finished with the admin's passkey.
    let analyst = app.sign_in(ANALYST).await;
    let _ = add_passkey(&app, &analyst, "Theirs").await;
    let body = format!("email={ANALYST}&password={PASSWORD}");
    let pending = cookie_from(&app.post_form("/login", None, &body).await);
    let started = parsed(&options(&app, Some(&pending), json!({ "purpose": "second_step" })).await);
    let foreign = answer(
        &app,
        Some(&pending),
        &started,
        passkey.get(&started["publicKey"]),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::UNAUTHORIZED, "{}", foreign.body);
    // An answer from another origin (a phishing site's page) is refused.
    let mut phished = SoftPasskey::new("https://console.tokensmith.test.evil.example");
    let started = parsed(
        &options(
            &app,
            Some(&admin),
            json!({ "purpose": "register", "name": "X" }),
        )
        .await,
    );
    let refused = answer(
        &app,
        Some(&admin),
        &started,
        phished.create(&started["publicKey"]),
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM passkeys").await, 2);
}

#[tokio::test]
async fn bad_requests_get_a_clear_refusal() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let cases = [
        (
            None,
            json!({ "purpose": "launch" }),
            StatusCode::BAD_REQUEST,
            "The purpose is one of",
        ),
        (None, json!([1, 2]), StatusCode::BAD_REQUEST, "JSON object"),
        (
            None,
            json!({ "purpose": "register", "name": "A" }),
            StatusCode::UNAUTHORIZED,
            "sign in",
        ),
        (
            None,
            json!({ "purpose": "second_step" }),
            StatusCode::UNAUTHORIZED,
            "sign in",
        ),
        (
            None,
            json!({ "purpose": "confirm_access" }),
            StatusCode::UNAUTHORIZED,
            "sign in",
        ),
        (
            Some(&admin),
            json!({ "purpose": "register", "name": " " }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "Give the passkey a name",
        ),
        (
            Some(&admin),
            json!({ "purpose": "register", "name": "x".repeat(65) }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "at most 64",
        ),
        (
            Some(&admin),
            json!({ "purpose": "confirm_access" }),
            StatusCode::UNPROCESSABLE_ENTITY,
            "no passkey",
        ),
    ];
    for (cookie, body, status, says) in cases {
        let reply = options(&app, cookie.map(String::as_str), body.clone()).await;
        assert_eq!(reply.status, status, "{body}: {}", reply.body);
        assert!(reply.body.contains(says), "{body}: {}", reply.body);
    }
    let garbage = app
        .post_json(
            "/login/passkeys/answer",
            None,
            &json!({ "challenge": "x".repeat(500), "credential": {} }),
        )
        .await;
    assert_eq!(garbage.status, StatusCode::BAD_REQUEST);
    let started = parsed(&options(&app, None, json!({ "purpose": "sign_in" })).await);
    let nonsense = answer(&app, None, &started, json!({ "id": 1 })).await;
    assert_eq!(
        nonsense.status,
        StatusCode::BAD_REQUEST,
        "{}",
        nonsense.body
    );
}

#[tokio::test]
async fn sign_in_ceremonies_are_bounded_per_address() {
    let app = TestApp::new().await;
    for _ in 0..app::ssr::db::passkey_challenges::PER_ADDRESS {
        let started = options(&app, None, json!({ "purpose": "sign_in" })).await;
        assert_eq!(started.status, StatusCode::OK);
    }
    let refused = options(&app, None, json!({ "purpose": "sign_in" })).await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        refused.body
    );
    assert_eq!(refused.header("retry-after"), "300");
    // A user's ceremonies replace each other: one per purpose waits.
    let admin = app.sign_in(ADMIN).await;
    for _ in 0..3 {
        options(
            &app,
            Some(&admin),
            json!({ "purpose": "register", "name": "K" }),
        )
        .await;
    }
    let waiting = "SELECT COUNT(*) FROM passkey_challenges WHERE user_id IS NOT NULL";
    assert_eq!(count(&app, waiting).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_answer_sent_eight_times_at_once_opens_one_session() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let admin = app.sign_in(ADMIN).await;
    let (mut passkey, _) = add_passkey(&app, &admin, "Key").await;
    let started = parsed(&options(&app, None, json!({ "purpose": "sign_in" })).await);
    let credential = passkey.get(&started["publicKey"]);
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (app, started, credential) = (app.clone(), started.clone(), credential.clone());
        tasks.push(tokio::spawn(async move {
            answer(&app, None, &started, credential).await.status
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let opened = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    assert_eq!(opened, 1, "{statuses:?}");
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::OK || *s == StatusCode::BAD_REQUEST));
    let sessions = "SELECT COUNT(*) FROM sessions";
    // The admin's own session, and the one the passkey opened.
    assert_eq!(count(&app, sessions).await, 2);
}

#[tokio::test]
async fn a_passkey_is_a_factor_for_the_two_factor_rule() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let refused = app
        .call("set_two_factor_rule", Some(&admin), "rule=everyone")
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let _ = add_passkey(&app, &admin, "Key").await;
    let set = app
        .call("set_two_factor_rule", Some(&admin), "rule=everyone")
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    // And a user held back by the rule is let through by a passkey.
    let analyst = app.sign_in(ANALYST).await;
    let held = app.call("home", Some(&analyst), "").await;
    assert_eq!(held.status, StatusCode::FORBIDDEN);
    let _ = add_passkey(&app, &analyst, "Theirs").await;
    let through = app.call("home", Some(&analyst), "").await;
    assert_eq!(through.status, StatusCode::OK, "{}", through.body);
}

//! **Change password**: the current password is checked (and guessing it is throttled like
//! sign-in), the new one must meet the policy and be typed twice, the user's other sessions
//! end, this one stays, and the change is audited. Every role may change their own.

use super::harness::{TestApp, ADMIN, ANALYST, PASSWORD, SPECIALIST};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

const NEW: &str = "a brand new passphrase";

fn form(current: &str, new: &str, confirm: &str) -> Value {
    json!({ "change": { "current": current, "new": new, "confirm": confirm } })
}

async fn change(app: &TestApp, cookie: Option<&str>, body: &Value) -> super::harness::Reply {
    app.call_json("change_password", cookie, body).await
}

async fn signed_in(app: &TestApp, cookie: &str) -> bool {
    app.call("session_info", Some(cookie), "").await.status == StatusCode::OK
}

/// `(field, message)` of each error in a 422 body.
fn problems(body: &str) -> Vec<(String, String)> {
    let error: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{body}"));
    error["PasswordFields"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["problem"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn sign_in_with(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let body = format!("email={email}&password={}", password.replace(' ', "+"));
    app.post_form("/login", None, &body).await.status
}

async fn password_events(app: &TestApp) -> Vec<(i64, Option<i64>, String)> {
    query(
        "SELECT actor_id, token_id, detail FROM audit_events
         WHERE action = 'password_changed' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_change_ends_the_other_sessions_keeps_this_one_and_is_audited() {
    let app = TestApp::new().await;
    let here = app.sign_in(ANALYST).await;
    let phone = app.sign_in(ANALYST).await;
    let laptop = app.sign_in(ANALYST).await;
    let colleague = app.sign_in(ADMIN).await;

    let page = app.get("/settings/password", Some(&here)).await;
    assert_eq!(page.status, StatusCode::OK);
    for label in ["Current password", "New password", "Confirm new password"] {
        assert!(page.body.contains(label), "{label}");
    }
    assert!(
        page.body.contains(r#"href="/settings/password""#),
        "the user menu links it"
    );

    let reply = change(&app, Some(&here), &form(PASSWORD, NEW, NEW)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let done: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(done["other_sessions_ended"], 2);

    assert!(signed_in(&app, &here).await);
    assert!(!signed_in(&app, &phone).await);
    assert!(!signed_in(&app, &laptop).await);
    assert!(signed_in(&app, &colleague).await);
    assert_eq!(
        sign_in_with(&app, ANALYST, PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_with(&app, ANALYST, NEW).await,
        StatusCode::SEE_OTHER
    );

    let events = password_events(&app).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, app.user_id(ANALYST).await);
    assert_eq!(events[0].1, None);
    assert!(events[0].2.contains(r#""before":"2""#), "{}", events[0].2);
    assert!(!events[0].2.contains(NEW));
}

#[tokio::test]
async fn bad_forms_are_422_beside_their_fields_and_change_nothing() {
    let app = TestApp::new().await;
    let here = app.sign_in(SPECIALIST).await;
    let other = app.sign_in(SPECIALIST).await;
    let cases = [
        (
            form("", NEW, NEW),
            "Current",
            "Enter your current password.",
        ),
        (
            form(PASSWORD, "too short", "too short"),
            "New",
            "Use at least 12 characters.",
        ),
        (
            form(PASSWORD, PASSWORD, PASSWORD),
            "New",
            "Choose a password different from your current one.",
        ),
        (
            form(PASSWORD, NEW, "a brand new passphrasE"),
            "Confirm",
            "The two new passwords are not the same.",
        ),
        (
            form("not my password", NEW, NEW),
            "Current",
            "That is not your current password.",
        ),
    ];
    for (body, field, problem) in cases {
        let reply = change(&app, Some(&here), &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let found = problems(&reply.body);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, field);
        assert_eq!(found[0].1, problem, "{found:?}");
    }
    let long = "x".repeat(300);
    let reply = change(&app, Some(&here), &form(PASSWORD, &long, &long)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);

    for junk in [json!({}), json!({ "change": "x" }), json!([1, 2])] {
        let reply = change(&app, Some(&here), &junk).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{junk}");
    }
    let nobody = change(&app, None, &form(PASSWORD, NEW, NEW)).await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);

    assert!(signed_in(&app, &other).await);
    assert!(password_events(&app).await.is_empty());
    assert_eq!(
        sign_in_with(&app, SPECIALIST, PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn guessing_the_current_password_is_throttled_like_sign_in() {
    let app = TestApp::new().await;
    let stolen = app.sign_in(ADMIN).await;
    for guess in 0..10 {
        let reply = change(
            &app,
            Some(&stolen),
            &form(&format!("guess {guess}"), NEW, NEW),
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "guess {guess}"
        );
    }
    // Even the right password is refused now, and says when to try again.
    let reply = change(&app, Some(&stolen), &form(PASSWORD, NEW, NEW)).await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    let retry: u64 = reply.header("retry-after").parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(
        reply.body.contains("Too many incorrect passwords"),
        "{}",
        reply.body
    );
    // The failures count against the account's sign-ins too.
    let login = app
        .post_form(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(login.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(password_events(&app).await.is_empty());
}

/// Both check the current password before either writes; the second to write then finds
/// the password changed under it (409), an answer a change made after the first can't get
/// (its session is gone: 401). Rounds repeat until that race is seen; every round has one
/// winner, whose password is the one that signs in.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_two_changes_at_once_exactly_one_wins() {
    let app = TestApp::new().await;
    let mut current = PASSWORD.to_string();
    let mut outcomes = Vec::new();
    for round in 0..10 {
        let first = app.sign_in_with_password(ADMIN, &current).await;
        let second = app.sign_in_with_password(ADMIN, &current).await;
        let new = [
            format!("first passphrase {round}"),
            format!("second passphrase {round}"),
        ];
        let to_first = form(&current, &new[0], &new[0]);
        let to_second = form(&current, &new[1], &new[1]);
        let barrier = tokio::sync::Barrier::new(2);
        let (a, b) = tokio::join!(
            async {
                barrier.wait().await;
                change(&app, Some(&first), &to_first).await
            },
            async {
                barrier.wait().await;
                change(&app, Some(&second), &to_second).await
            },
        );
        let (winner, cookie, loser) = match (a.status, b.status) {
            (StatusCode::OK, status) if status != StatusCode::OK => (&new[0], &first, &b),
            (status, StatusCode::OK) if status != StatusCode::OK => (&new[1], &second, &a),
            _ => panic!("one winner: {} / {}", a.body, b.body),
        };
        outcomes.push(loser.status.as_u16());
        assert!(signed_in(&app, cookie).await);
        assert_eq!(
            sign_in_with(&app, ADMIN, winner).await,
            StatusCode::SEE_OTHER
        );
        assert_eq!(password_events(&app).await.len(), round + 1);
        current = winner.clone();
        if loser.status == StatusCode::CONFLICT {
            assert!(
                loser.body.contains("changed from another session"),
                "{}",
                loser.body
            );
            eprintln!("raced in round {}: the losers {outcomes:?}", round + 1);
            return;
        }
    }
    panic!("no round raced (each loser's answer): {outcomes:?}");
}

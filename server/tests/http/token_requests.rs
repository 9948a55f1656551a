//! Tokens by request through the real router: **Token creation: Needs approval**, a
//! specialist's **Request token**, an administrator's narrowing **Approve** or **Deny**,
//! **Withdraw**, the secret shown once to the requester, the unclaimed request expiring,
//! every role at every door, and two administrators deciding at once.

use super::harness::{basic, Reply, TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use app::ssr::db::engine::query;
use app::ssr::db::token_requests;
use app::ssr::now;
use http::StatusCode;
use serde_json::{json, Value};

fn parsed(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("{}", reply.body))
}

/// The demo account with API access on and **Needs approval**; the admin's cookie.
async fn needing_approval(app: &TestApp) -> String {
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let set = app
        .call(
            "set_token_creation",
            Some(&admin),
            "creation=needs_approval",
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    admin
}

/// `cookie`'s request for a token `name` with `scopes`, for `reason`.
async fn request(app: &TestApp, cookie: &str, name: &str, scopes: Value, reason: &str) -> Reply {
    let draft = app.review_draft(name, json!({ "scopes": scopes })).await;
    let body = json!({ "draft": draft, "reason": reason });
    app.call_json("request_token", Some(cookie), &body).await
}

async fn made(app: &TestApp, cookie: &str, name: &str) -> i64 {
    let reply = request(app, cookie, name, json!(["reports:get"]), "A feed").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    parsed(&reply)["id"].as_i64().unwrap()
}

async fn detail(app: &TestApp, cookie: &str, id: i64) -> Reply {
    app.call("get_request", Some(cookie), &format!("id={id}"))
        .await
}

async fn approve(app: &TestApp, cookie: &str, id: i64, narrowing: Value) -> Reply {
    let body = json!({ "id": id, "narrowing": narrowing });
    app.call_json("approve_request", Some(cookie), &body).await
}

async fn deny(app: &TestApp, cookie: &str, id: i64, reason: &str) -> Reply {
    let body = format!("id={id}&reason={reason}");
    app.call("deny_request", Some(cookie), &body).await
}

async fn claim(app: &TestApp, cookie: &str, id: i64) -> Reply {
    app.call_json("claim_request", Some(cookie), &json!({ "id": id }))
        .await
}

async fn mails_about(app: &TestApp, subject: &str) -> Vec<String> {
    query("SELECT recipient FROM notifications WHERE subject LIKE $1 ORDER BY recipient")
        .bind(format!("%{subject}%"))
        .fetch_all::<(String,)>(&app.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(r,)| r)
        .collect()
}

#[tokio::test]
async fn a_specialist_requests_an_administrator_narrows_and_the_requester_sees_the_secret_once() {
    let app = TestApp::new().await;
    let admin = needing_approval(&app).await;
    let specialist = app.sign_in(SPECIALIST).await;
    // Create is an administrator's alone now.
    let draft = app.review_draft("Direct", json!({})).await;
    let direct = app
        .call_json(
            "create_token",
            Some(&specialist),
            &json!({ "draft": draft }),
        )
        .await;
    assert_eq!(direct.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(direct.body.contains("approval"), "{}", direct.body);
    // A reason is required, beside its field.
    let scopes = json!([
        "reports:get",
        "actions:get",
        "actions:put",
        "actions:delete"
    ]);
    let no_reason = request(&app, &specialist, "Agency feed", scopes.clone(), "  ").await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.body.contains(r#""problem":"Enter a reason.""#),
        "{}",
        no_reason.body
    );
    let made = request(&app, &specialist, "Agency feed", scopes, "Weekly export").await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let id = parsed(&made)["id"].as_i64().unwrap();
    // Nothing minted; the administrators are told, never the reason's words.
    let tokens: i64 = query("SELECT COUNT(*) FROM tokens WHERE name = 'Agency feed'")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(tokens, 0);
    assert_eq!(mails_about(&app, "token requested").await, [ADMIN]);
    let bodies: i64 = query("SELECT COUNT(*) FROM notifications WHERE body LIKE '%Weekly export%'")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(bodies, 0);

    // The administrator sees it all, write and delete scopes marked.
    let shown = parsed(&detail(&app, &admin, id).await);
    assert_eq!(shown["line"]["state"], "Pending");
    assert_eq!(shown["reason"], "Weekly export");
    assert_eq!(shown["can_decide"], true);
    assert_eq!(shown["can_claim"], false);
    let marks: Vec<(String, bool, bool)> = shown["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let id = s["id"].as_str().unwrap().to_string();
            (id, s["writes"] == true, s["deletes"] == true)
        })
        .collect();
    assert!(
        marks.contains(&("actions:put".into(), true, false)),
        "{marks:?}"
    );
    assert!(
        marks.contains(&("actions:delete".into(), false, true)),
        "{marks:?}"
    );
    let listed = parsed(&app.call("list_requests", Some(&admin), "").await);
    assert_eq!(listed["pending"], 1);

    // Never wider: a scope not asked for, or a later expiration.
    let wider = approve(
        &app,
        &admin,
        id,
        json!({ "scopes": ["reports:get", "ads:get"], "expiration": "Never" }),
    )
    .await;
    assert_eq!(wider.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wider
            .body
            .contains("Only scopes the request asked for can be approved."),
        "{}",
        wider.body
    );
    assert!(
        wider
            .body
            .contains("Choose an expiration no later than the request's."),
        "{}",
        wider.body
    );
    // Narrower: the delete scope dropped, 30 days.
    let narrowing = json!({
        "scopes": ["reports:get", "actions:get", "actions:put"],
        "expiration": { "Days": 30 }
    });
    let approved = approve(&app, &admin, id, narrowing.clone()).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let again = approve(&app, &admin, id, narrowing).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let shown = parsed(&detail(&app, &admin, id).await);
    assert_eq!(shown["line"]["state"], "Approved");
    let sid = shown["token_sid"].as_str().unwrap().to_string();
    let token = parsed(&app.detail(&admin, &sid).await);
    assert_eq!(token["scopes"].as_array().unwrap().len(), 3, "{token}");
    assert_eq!(
        mails_about(&app, "token request approved").await,
        [SPECIALIST]
    );

    // The secret is the requester's, once.
    assert_eq!(claim(&app, &admin, id).await.status, StatusCode::FORBIDDEN);
    let mine = parsed(&detail(&app, &specialist, id).await);
    assert_eq!(mine["can_claim"], true);
    let claimed = claim(&app, &specialist, id).await;
    assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.body);
    let claimed = parsed(&claimed);
    assert_eq!(claimed["sid"], sid.as_str());
    let secret = claimed["secret"].as_str().unwrap();
    app.note_secret(secret);
    let account = app.account_sid().await;
    let path = format!("/Advertisers/{account}/Reports");
    let call = app
        .api("GET", &path, Some(&basic(&sid, secret)), &[], "")
        .await;
    assert_eq!(call.status, StatusCode::OK, "{}", call.body);
    assert_eq!(
        claim(&app, &specialist, id).await.status,
        StatusCode::CONFLICT
    );
    let mine = parsed(&detail(&app, &specialist, id).await);
    assert_eq!(
        (mine["claimed"].clone(), mine["can_claim"].clone()),
        (json!(true), json!(false))
    );
}

#[tokio::test]
async fn deny_withdraw_and_who_may_do_what() {
    let app = TestApp::new().await;
    let admin = needing_approval(&app).await;
    let specialist = app.sign_in(SPECIALIST).await;
    let (analyst, finance) = (app.sign_in(ANALYST).await, app.sign_in(FINANCE).await);
    let id = made(&app, &specialist, "To deny").await;
    for reader in [&analyst, &finance] {
        assert_eq!(
            app.call("list_requests", Some(reader), "").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(detail(&app, reader, id).await.status, StatusCode::FORBIDDEN);
        let asked = request(&app, reader, "Nope", json!(["reports:get"]), "x").await;
        assert_eq!(asked.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        deny(&app, &specialist, id, "No").await.status,
        StatusCode::FORBIDDEN
    );
    let unexplained = deny(&app, &admin, id, "").await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unexplained.body.contains(r#""problem":"Enter a reason.""#),
        "{}",
        unexplained.body
    );
    assert_eq!(
        deny(&app, &admin, id, "Use+the+shared+token").await.status,
        StatusCode::OK
    );
    assert_eq!(
        deny(&app, &admin, id, "Twice").await.status,
        StatusCode::CONFLICT
    );
    let shown = parsed(&detail(&app, &specialist, id).await);
    assert_eq!(shown["line"]["state"], "Denied");
    assert_eq!(shown["decision_reason"], "Use the shared token");
    let withdraw = |cookie: &str, id: i64| {
        let cookie = cookie.to_string();
        let app = &app;
        async move {
            app.call("withdraw_request", Some(&cookie), &format!("id={id}"))
                .await
                .status
        }
    };
    assert_eq!(withdraw(&specialist, id).await, StatusCode::CONFLICT);
    let second = made(&app, &specialist, "To withdraw").await;
    assert_eq!(withdraw(&admin, second).await, StatusCode::FORBIDDEN);
    assert_eq!(withdraw(&specialist, second).await, StatusCode::OK);
    let listed = parsed(
        &app.call("list_requests", Some(&specialist), "state=withdrawn")
            .await,
    );
    assert_eq!(listed["requests"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.call("list_requests", Some(&admin), "state=lost")
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // An administrator's own request: theirs to decide only as the only administrator.
    let own = made(&app, &admin, "Own").await;
    assert_eq!(
        approve(&app, &admin, own, json!({})).await.status,
        StatusCode::OK
    );
    let facts: String = query("SELECT detail FROM audit_events WHERE action = 'request_approved'")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert!(facts.contains("only Account Administrator"), "{facts}");
    query("UPDATE users SET role = 'account_admin' WHERE email = $1")
        .bind(ANALYST)
        .execute(&app.pool)
        .await
        .unwrap();
    let own = made(&app, &admin, "Own again").await;
    let refused = approve(&app, &admin, own, json!({})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("Another Account Administrator"),
        "{}",
        refused.body
    );
    // Someone else's request is not a specialist's to open; a bad number is a 400.
    assert_eq!(
        detail(&app, &specialist, own).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.call("get_request", Some(&admin), "id=x").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_administrators_deciding_at_once_end_with_one_decision() {
    let app = TestApp::new().await;
    let admin = needing_approval(&app).await;
    query("UPDATE users SET role = 'account_admin' WHERE email = $1")
        .bind(ANALYST)
        .execute(&app.pool)
        .await
        .unwrap();
    let other = app.sign_in(ANALYST).await;
    let specialist = app.sign_in(SPECIALIST).await;
    for round in 0..4 {
        let id = made(&app, &specialist, &format!("Race {round}")).await;
        let (a, b) = tokio::join!(
            approve(&app, &admin, id, json!({})),
            deny(&app, &other, id, "Not+now"),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{} / {}",
            a.body,
            b.body
        );
        let shown = parsed(&detail(&app, &admin, id).await);
        let state = shown["line"]["state"].as_str().unwrap().to_string();
        let expected = if a.status == StatusCode::OK {
            "Approved"
        } else {
            "Denied"
        };
        assert_eq!(state, expected);
        let tokens: i64 = query("SELECT COUNT(*) FROM tokens WHERE name = $1")
            .bind(format!("Race {round}"))
            .scalar(&app.pool)
            .await
            .unwrap();
        assert_eq!(tokens, i64::from(expected == "Approved"));
    }
}

#[tokio::test]
async fn an_approved_request_unclaimed_for_seven_days_expires_and_its_token_is_disabled() {
    let app = TestApp::new().await;
    let admin = needing_approval(&app).await;
    let specialist = app.sign_in(SPECIALIST).await;
    let id = made(&app, &specialist, "Forgotten").await;
    assert_eq!(
        approve(&app, &admin, id, json!({})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        token_requests::expire_unclaimed(&app.pool, now() + 6 * 86_400)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        token_requests::expire_unclaimed(&app.pool, now() + 8 * 86_400)
            .await
            .unwrap(),
        1
    );
    let shown = parsed(&detail(&app, &specialist, id).await);
    assert_eq!(shown["line"]["state"], "Expired");
    let sid = shown["token_sid"].as_str().unwrap().to_string();
    assert_eq!(parsed(&app.detail(&admin, &sid).await)["enabled"], false);
    assert_eq!(
        claim(&app, &specialist, id).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        mails_about(&app, "request expired unclaimed").await,
        [ADMIN, SPECIALIST]
    );
}

#[tokio::test]
async fn requests_are_only_for_accounts_that_need_approval_and_bounded_per_person() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let specialist = app.sign_in(SPECIALIST).await;
    let off = request(&app, &specialist, "Early", json!(["reports:get"]), "x").await;
    assert_eq!(off.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(off.body.contains("created directly"), "{}", off.body);
    let bad = app
        .call("set_token_creation", Some(&admin), "creation=sometimes")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let by_specialist = app
        .call(
            "set_token_creation",
            Some(&specialist),
            "creation=needs_approval",
        )
        .await;
    assert_eq!(by_specialist.status, StatusCode::FORBIDDEN);
    needing_approval(&app).await;
    for n in 0..token_requests::MAX_PENDING_PER_USER {
        made(&app, &specialist, &format!("Feed {n}")).await;
    }
    let one_more = request(&app, &specialist, "Feed more", json!(["reports:get"]), "x").await;
    assert_eq!(one_more.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        one_more.body.contains("requests pending"),
        "{}",
        one_more.body
    );
}

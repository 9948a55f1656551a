//! Revocation by whoever holds a secret, and the overlap of an old and a new secret after
//! **Reset**.

use super::harness::{Reply, TestApp, ADMIN};
use super::token_governance::{actions, introspect, now, DAY};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

async fn revoke(app: &TestApp, form: &str) -> Reply {
    app.api(
        "POST",
        "/oauth/revoke",
        None,
        &[("content-type", "application/x-www-form-urlencoded")],
        form,
    )
    .await
}

#[tokio::test]
async fn whoever_holds_a_secret_can_revoke_it_and_learns_nothing_else() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Leaked").await;
    let unknown = app::domain::TokenSecret::from_random(&"k".repeat(30)).unwrap();
    for junk in [
        "token=garbage".into(),
        format!("token={}", unknown.expose()),
        format!("token={}&token_type_hint=something_else", unknown.expose()),
    ] {
        let reply = revoke(&app, &junk).await;
        assert_eq!(reply.status, StatusCode::OK, "{junk:?}");
        assert_eq!(reply.body, "", "{junk:?}");
    }
    // No token at all is the request's fault (RFC 7009 §2.2.1, RFC 6749 §5.2).
    for missing in ["", "token=", "%%%", "token_type_hint=access_token"] {
        let reply = revoke(&app, missing).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{missing:?}");
        let body: Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(body["error"], "invalid_request", "{missing:?}");
        assert!(body["error_description"]
            .as_str()
            .unwrap()
            .contains("token"));
        assert_eq!(reply.header("cache-control"), "no-store");
    }
    let refresh = revoke(
        &app,
        &format!("token={}&token_type_hint=refresh_token", token.secret),
    )
    .await;
    assert_eq!(refresh.status, StatusCode::BAD_REQUEST);
    let body: Value = serde_json::from_str(&refresh.body).unwrap();
    assert_eq!(body["error"], "unsupported_token_type");
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::OK
    );

    let reply = revoke(
        &app,
        &format!("token={}&token_type_hint=access_token", token.secret),
    )
    .await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, ""));
    // Disabled, not deleted, and the secret is dead: refused at once as bad credentials,
    // and the owner sees why.
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        introspect(&app, &token.secret).await,
        json!({ "active": false })
    );
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["enabled"], false);
    assert_eq!(detail["history"][0]["actor"], "Whoever held the Auth Token");
    assert_eq!(
        detail["history"][0]["summary"],
        "Disabled: its Auth Token was revoked through /oauth/revoke"
    );
    let told: Vec<String> = query(
        "SELECT recipient FROM notifications WHERE subject LIKE '%revocation of its Auth Token'
         ORDER BY recipient",
    )
    .scalars(&app.pool)
    .await
    .unwrap();
    assert_eq!(told, ["admin@acme.test", "dev@partner.test"]);

    // Again: still 200, and nothing more is written.
    assert_eq!(
        revoke(&app, &format!("token={}", token.secret))
            .await
            .status,
        StatusCode::OK
    );
    let events: i64 = query("SELECT COUNT(*) FROM audit_events WHERE action = 'revoked_by_holder'")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(events, 1);
}

#[tokio::test]
async fn revocation_is_rate_limited_per_client() {
    let app = TestApp::new().await;
    let mut statuses = Vec::new();
    let limit = super::harness::LIMITS.revocations_per_minute as usize;
    for _ in 0..=limit {
        statuses.push(revoke(&app, "token=garbage").await.status);
    }
    assert!(statuses[..limit].iter().all(|s| *s == StatusCode::OK));
    assert_eq!(statuses[limit], StatusCode::TOO_MANY_REQUESTS);
}

/// Resets `sid` keeping the old secret for an hour; the new secret.
pub(super) async fn reset_keeping_old(app: &TestApp, cookie: &str, sid: &str) -> String {
    let reply = app
        .change(
            cookie,
            sid,
            json!({ "ResetKeepingOld": { "keep_old_for": "OneHour" } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    body["secret"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn during_an_overlap_both_secrets_work_until_it_ends() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Rotated").await;
    let before = now();
    let new = reset_keeping_old(&app, &cookie, &token.sid).await;
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::OK
    );
    assert_eq!(actions(&app, &token.sid, &new).await.status, StatusCode::OK);
    let old = introspect(&app, &token.secret).await;
    assert_eq!(old["active"], true);
    let end = old["exp"].as_i64().unwrap();
    assert!(
        (before + 3600..=now() + 3600).contains(&end),
        "the old secret ends with the overlap"
    );
    let current = introspect(&app, &new).await["exp"].as_i64().unwrap();
    assert!(
        current > end + 80 * DAY,
        "the new secret lives as long as the token"
    );
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["old_secret_until"]["expired"], false);
    assert!(detail["history"][0]["details"][0]
        .as_str()
        .unwrap()
        .contains("works until"));

    // The hour passes.
    query("UPDATE tokens SET old_secret_until = $1 WHERE sid = $2")
        .bind(now() - 1)
        .bind(&token.sid)
        .execute(&app.pool)
        .await
        .unwrap();
    app.api.tokens.forget_all();
    let ended = actions(&app, &token.sid, &token.secret).await;
    assert_eq!(ended.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        introspect(&app, &token.secret).await,
        json!({ "active": false })
    );
    assert_eq!(actions(&app, &token.sid, &new).await.status, StatusCode::OK);
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["old_secret_until"], Value::Null);
}

#[tokio::test]
async fn revoke_old_secret_now_ends_the_overlap_at_once() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Rotated").await;
    let new = reset_keeping_old(&app, &cookie, &token.sid).await;
    let reply = app
        .change(&cookie, &token.sid, json!("RevokeOldSecret"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(actions(&app, &token.sid, &new).await.status, StatusCode::OK);
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["history"][0]["summary"], "Revoked the old secret");
    // Again: nothing to revoke, nothing written.
    let version = app.revision(&token.sid).await;
    let again = app
        .change(&cookie, &token.sid, json!("RevokeOldSecret"))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(app.revision(&token.sid).await, version);
    // A plain Reset ends any overlap too.
    let newer = reset_keeping_old(&app, &cookie, &token.sid).await;
    let reply = app.change(&cookie, &token.sid, json!("Reset")).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        actions(&app, &token.sid, &newer).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        actions(&app, &token.sid, &new).await.status,
        StatusCode::UNAUTHORIZED,
        "the overlap's old secret stops with it"
    );
}

#[tokio::test]
async fn the_holder_of_an_old_secret_revokes_only_the_old_secret() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Rotated").await;
    let new = reset_keeping_old(&app, &cookie, &token.sid).await;
    let reply = revoke(&app, &format!("token={}", token.secret)).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, ""));
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        actions(&app, &token.sid, &new).await.status,
        StatusCode::OK,
        "still enabled"
    );
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["enabled"], true);
    assert_eq!(detail["history"][0]["summary"], "Revoked the old secret");
    assert_eq!(detail["history"][0]["actor"], "Whoever held the Auth Token");
}

#[tokio::test]
async fn an_overlap_that_is_not_offered_is_refused() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Rotated").await;
    for keep in [json!("TwoWeeks"), json!(3600), json!(null)] {
        let reply = app
            .change(
                &cookie,
                &token.sid,
                json!({ "ResetKeepingOld": { "keep_old_for": keep } }),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{keep}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn a_secret_its_holder_revoked_never_works_again() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Leaked twice").await;
    revoke(&app, &format!("token={}", token.secret)).await;
    // Enable is refused until a Reset issues a secret nobody else holds.
    let enable = app
        .change(
            &cookie,
            &token.sid,
            json!({ "SetEnabled": { "enabled": true } }),
        )
        .await;
    assert_eq!(enable.status, StatusCode::CONFLICT, "{}", enable.body);
    assert!(enable.body.contains("Reset the token"), "{}", enable.body);
    // A Reset never keeps a revoked secret working, whatever it asks.
    let new = reset_keeping_old(&app, &cookie, &token.sid).await;
    let enable = app
        .change(
            &cookie,
            &token.sid,
            json!({ "SetEnabled": { "enabled": true } }),
        )
        .await;
    assert_eq!(enable.status, StatusCode::OK, "{}", enable.body);
    assert_eq!(actions(&app, &token.sid, &new).await.status, StatusCode::OK);
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::UNAUTHORIZED
    );
}

//! Sudo mode: creating a token, Reset, the token policy, user administration and the
//! two-factor rule ask for a fresh proof (password or code) once the session's last one is
//! older than 15 minutes; **Confirm access** gives it and goes back.

use super::harness::{TestApp, ADMIN, PASSWORD};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::json;

/// Makes every session's last proof 16 minutes old.
async fn age_proofs(app: &TestApp) {
    query("UPDATE sessions SET proved_at = proved_at - 16 * 60")
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_stale_session_must_confirm_before_a_sensitive_change() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let token = app.make_token(&admin, "Before").await;
    age_proofs(&app).await;
    // Reading and harmless changes still work.
    assert_eq!(
        app.call("api_settings", Some(&admin), "").await.status,
        StatusCode::OK
    );
    let user = json!({ "user": { "name": "Nia", "email": "nia@acme.test", "role": "analyst" } });
    let draft = app.review_draft("After", json!({})).await;
    // Narrowing needs no proof: disabling a token, turning API access off.
    let disable = json!({ "SetEnabled": { "enabled": false } });
    assert_eq!(
        app.change(&admin, &token.sid, disable).await.status,
        StatusCode::OK
    );
    let off = app
        .call("set_api_access", Some(&admin), "enabled=false")
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    let enable = json!({ "SetEnabled": { "enabled": true } });
    let refusals = [
        app.change(&admin, &token.sid, enable).await,
        app.call("set_api_access", Some(&admin), "enabled=true")
            .await,
        app.call_json("add_user", Some(&admin), &user).await,
        app.change(&admin, &token.sid, json!("Reset")).await,
        app.call_json("create_token", Some(&admin), &json!({ "draft": draft }))
            .await,
        app.call("set_two_factor_rule", Some(&admin), "rule=off")
            .await,
        app.call("set_exposure_policy", Some(&admin), "policy=notify")
            .await,
        app.call("set_limits_policy", Some(&admin), "max_rate_requests=5")
            .await,
        app.call(
            "create_budget",
            Some(&admin),
            "name=Agency&quota_calls=5&quota_refill=none&rate_per=minute",
        )
        .await,
        app.call("delete_budget", Some(&admin), "id=1").await,
        app.call(
            "set_token_creation",
            Some(&admin),
            "creation=needs_approval",
        )
        .await,
        app.call_json(
            "approve_request",
            Some(&admin),
            &json!({ "id": 1, "narrowing": {} }),
        )
        .await,
        app.call_json("claim_request", Some(&admin), &json!({ "id": 1 }))
            .await,
        app.call_json(
            "add_webhook",
            Some(&admin),
            &json!({ "url": "http://127.0.0.1:9/", "description": "", "events": ["token.created"] }),
        )
        .await,
        app.call("rotate_webhook_secret", Some(&admin), "id=1").await,
        app.change(
            &admin,
            &token.sid,
            json!({ "Limits": { "limits": { "rate_requests": "5", "rate_per": "second",
                                             "quota_calls": "", "quota_refill": "none" } } }),
        )
        .await,
    ];
    for refused in refusals {
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(refused.body.contains("ConfirmAccess"), "{}", refused.body);
    }
    // A plain form post goes to Confirm access, and comes back to the page it was on.
    let policy = app
        .post_with(
            "/api/set_token_policy",
            Some(&admin),
            "max_lifetime=90",
            &[
                ("sec-fetch-site", "same-origin"),
                ("accept", "text/html"),
                ("referer", "http://127.0.0.1:3000/settings/api"),
            ],
        )
        .await;
    assert_eq!(policy.status, StatusCode::SEE_OTHER, "{}", policy.body);
    assert_eq!(
        policy.header("location"),
        "/confirm-access?next=/settings/api"
    );
    // A wrong password is refused and counted; the right one proves the session again.
    let wrong = app
        .post_form(
            "/confirm-access",
            Some(&admin),
            "password=not-it&next=/settings/api",
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("incorrect"));
    let body = format!("password={}&next=/settings/api", PASSWORD.replace(' ', "+"));
    let right = app.post_form("/confirm-access", Some(&admin), &body).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.header("location"), "/settings/api");
    app.set_api_access(&admin, true).await;
    let created = app
        .call_json("create_token", Some(&admin), &json!({ "draft": draft }))
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
}

#[tokio::test]
async fn confirm_access_goes_back_only_to_this_site_and_only_for_a_session() {
    let app = TestApp::new().await;
    let body = format!("password={PASSWORD}&next=/settings/api");
    let nobody = app.post_form("/confirm-access", None, &body).await;
    assert_eq!(nobody.status, StatusCode::SEE_OTHER);
    assert_eq!(nobody.header("location"), "/login");
    let admin = app.sign_in(ADMIN).await;
    for next in ["https://evil.test/", "//evil.test/x", "/\\evil.test"] {
        let body = format!("password={PASSWORD}&next={}", urlencode(next));
        let reply = app.post_form("/confirm-access", Some(&admin), &body).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.header("location"), "/", "{next}");
    }
    let page = app
        .get("/confirm-access?next=/settings/users", Some(&admin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("value=\"/settings/users\""),
        "{}",
        page.body
    );
    // The page checks `next` as the redirect does: no script or other site in its links.
    let hostile = app
        .get("/confirm-access?next=javascript:alert(1)", Some(&admin))
        .await;
    assert_eq!(hostile.status, StatusCode::OK);
    assert!(!hostile.body.contains("javascript:"), "{}", hostile.body);
    assert!(hostile.body.contains("value=\"/\""));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

//! Tokens that govern themselves: expiration (and the account's policy), IP allowlists and
//! revocation by the holder, on the sandbox API and introspection.

use super::harness::{basic, Reply, TestApp, ADMIN};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

fn now() -> i64 {
    app::ssr::now()
}

/// A draft with the given extra fields (expiration, allowed IPs).
pub(super) async fn create(app: &TestApp, cookie: &str, name: &str, extra: Value) -> Reply {
    let mut overrides =
        json!({ "api_version": 13, "developer_emails": [], "scopes": ["actions:get"] });
    for (key, value) in extra.as_object().unwrap() {
        overrides[key] = value.clone();
    }
    let draft = app.review_draft(name, overrides).await;
    app.call_json("create_token", Some(cookie), &json!({ "draft": draft }))
        .await
}

pub(super) fn created(reply: &Reply) -> (String, String) {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    (
        body["sid"].as_str().unwrap().to_string(),
        body["secret"].as_str().unwrap().to_string(),
    )
}

async fn introspect(app: &TestApp, secret: &str) -> Value {
    app.introspect(secret).await
}

async fn expires_at(app: &TestApp, sid: &str) -> Option<i64> {
    query("SELECT expires_at FROM tokens WHERE sid = $1")
        .bind(sid)
        .scalar(&app.pool)
        .await
        .unwrap()
}

async fn actions(app: &TestApp, sid: &str, secret: &str) -> Reply {
    let account = app.account_sid().await;
    app.api(
        "GET",
        &format!("/Advertisers/{account}/Actions"),
        Some(&basic(sid, secret)),
        &[],
        "",
    )
    .await
}

#[tokio::test]
async fn a_token_expires_when_chosen_and_then_authenticates_nowhere() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let before = now();
    let reply = create(
        &app,
        &cookie,
        "Thirty days",
        json!({ "expiration": { "Days": 30 } }),
    )
    .await;
    let (sid, secret) = created(&reply);
    let at = expires_at(&app, &sid).await.expect("an expiry");
    assert!((before + 30 * DAY..=now() + 30 * DAY).contains(&at));
    let answer = introspect(&app, &secret).await;
    assert_eq!(answer["active"], true);
    assert_eq!(answer["exp"], at);
    assert_eq!(actions(&app, &sid, &secret).await.status, StatusCode::OK);

    // The clock passes the expiry (the cache keeps a token as it was read).
    query("UPDATE tokens SET expires_at = $1 WHERE sid = $2")
        .bind(now() - 1)
        .bind(&sid)
        .execute(&app.pool)
        .await
        .unwrap();
    app.api.tokens.forget_all();
    let refused = actions(&app, &sid, &secret).await;
    let wrong = actions(&app, &sid, "tsm_000000000000000000000000000000000000").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.body, wrong.body,
        "the same answer as any bad credential"
    );
    assert_eq!(introspect(&app, &secret).await, json!({ "active": false }));
}

#[tokio::test]
async fn never_and_dates_are_stored_as_chosen() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let (never, secret) =
        created(&create(&app, &cookie, "Forever", json!({ "expiration": "Never" })).await);
    assert_eq!(expires_at(&app, &never).await, None);
    app.set_api_access(&cookie, true).await;
    assert!(introspect(&app, &secret).await.get("exp").is_none());
    let date = app::domain::expiration::format_date(now() + 40 * DAY);
    let on_date =
        json!({ "expiration": { "OnDate": { "date": date, "utc_offset_minutes": -60 } } });
    let (sid, _) = created(&create(&app, &cookie, "On a date", on_date).await);
    let at = expires_at(&app, &sid).await.unwrap();
    assert_eq!(at % DAY, DAY - 3600, "midnight at UTC+1 is 23:00 UTC");
    // The draft's default is 90 days.
    let (sid, _) = created(&create(&app, &cookie, "Default", json!({})).await);
    let at = expires_at(&app, &sid).await.unwrap();
    assert!((at - now() - 90 * DAY).abs() < 60);
}

#[tokio::test]
async fn the_account_policy_refuses_what_it_does_not_allow_with_422() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    query("UPDATE accounts SET max_token_lifetime_days = 60, allow_never_expiring = FALSE")
        .execute(&app.pool)
        .await
        .unwrap();
    for (name, expiration, problem) in [
        ("Never", json!("Never"), "\"NeverNotAllowed\""),
        (
            "Ninety",
            json!({ "Days": 90 }),
            "{\"BeyondPolicy\":{\"max_days\":60,",
        ),
    ] {
        let reply = create(&app, &cookie, name, json!({ "expiration": expiration })).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        assert_eq!(super::harness::error_fields(&reply.body), ["Expiration"]);
        assert!(reply.body.contains(problem), "{}", reply.body);
    }
    let reply = create(
        &app,
        &cookie,
        "Sixty",
        json!({ "expiration": { "Days": 60 } }),
    )
    .await;
    created(&reply);
}

#[tokio::test]
async fn an_allowlist_admits_its_addresses_and_names_the_caller_it_refuses() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let fenced = json!({ "allowed_ips": "203.0.113.0/24\n2001:db8::/32" });
    let (sid, secret) = created(&create(&app, &cookie, "Fenced", fenced).await);
    let account = app.account_sid().await;
    let path = format!("/Advertisers/{account}/Actions");
    let auth = basic(&sid, &secret);
    let inside = app.api_from("203.0.113.9:5000", &path, &auth).await;
    assert_eq!(inside.status, StatusCode::OK, "{}", inside.body);
    let inside6 = app.api_from("[2001:db8::7]:5000", &path, &auth).await;
    assert_eq!(inside6.status, StatusCode::OK);
    let outside = app.api_from("198.51.100.4:5000", &path, &auth).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    assert!(outside.body.contains("198.51.100.4"), "{}", outside.body);
    let unknown = actions(&app, &sid, &secret).await;
    assert_eq!(
        unknown.status,
        StatusCode::FORBIDDEN,
        "no address, no entry"
    );
    let answer = introspect(&app, &secret).await;
    assert_eq!(
        answer["active"], true,
        "introspection leaves enforcement to the caller"
    );
    assert_eq!(
        answer["allowed_ips"],
        json!(["203.0.113.0/24", "2001:db8::/32"])
    );
}

#[tokio::test]
async fn a_bad_allowlist_is_refused_beside_its_field() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    for list in ["10.0.0.1/33", "::1/129", "10.0.0.1 10.0.0.1", "example.com"] {
        let reply = create(&app, &cookie, "Bad list", json!({ "allowed_ips": list })).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{list}");
        assert_eq!(
            super::harness::error_fields(&reply.body),
            ["AllowedIps"],
            "{list}"
        );
    }
    let many: Vec<String> = (0..51).map(|i| format!("10.0.0.{i}")).collect();
    let reply = create(
        &app,
        &cookie,
        "Too many",
        json!({ "allowed_ips": many.join(" ") }),
    )
    .await;
    assert!(reply.body.contains(r#"{"TooMany":51}"#), "{}", reply.body);
}

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
    // Disabled, not deleted: refused at once, and the owner sees why.
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::FORBIDDEN
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
async fn reset_keeping_old(app: &TestApp, cookie: &str, sid: &str) -> String {
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

async fn set_policy(app: &TestApp, cookie: &str, form: &str) -> Reply {
    app.call("set_token_policy", Some(cookie), form).await
}

#[tokio::test]
async fn only_the_account_administrator_sets_the_policy() {
    let app = TestApp::new().await;
    for (email, status) in [
        (super::harness::SPECIALIST, StatusCode::FORBIDDEN),
        (super::harness::ANALYST, StatusCode::FORBIDDEN),
        (super::harness::FINANCE, StatusCode::FORBIDDEN),
        (ADMIN, StatusCode::OK),
    ] {
        let cookie = app.sign_in(email).await;
        let reply = set_policy(&app, &cookie, "max_lifetime=90").await;
        assert_eq!(reply.status, status, "{email}: {}", reply.body);
    }
    let stored: (Option<i64>, bool) =
        query("SELECT max_token_lifetime_days, allow_never_expiring FROM accounts WHERE name = 'Acme Outdoor'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, (Some(90), false));
    let cookie = app.sign_in(ADMIN).await;
    for bad in ["max_lifetime=7", "max_lifetime=x", "max_lifetime=-1"] {
        let reply = set_policy(&app, &cookie, bad).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let events: i64 =
        query("SELECT COUNT(*) FROM audit_events WHERE action = 'token_policy_changed'")
            .scalar(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        events, 1,
        "one change, audited once; refusals write nothing"
    );
}

#[tokio::test]
async fn a_policy_lists_the_tokens_it_does_not_cut_short_and_bounds_new_ones() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let (forever, secret) =
        created(&create(&app, &cookie, "Forever", json!({ "expiration": "Never" })).await);
    let (short, _) = created(
        &create(
            &app,
            &cookie,
            "Short",
            json!({ "expiration": { "Days": 30 } }),
        )
        .await,
    );
    // A plain form post, as the API page's form sends it without JavaScript.
    let referer = format!("http://{}/settings/api", super::harness::HOST);
    let browser = [
        ("sec-fetch-site", "same-origin"),
        ("accept", "text/html"),
        ("referer", referer.as_str()),
    ];
    let reply = app
        .post_with(
            "/api/set_token_policy",
            Some(&cookie),
            "max_lifetime=60",
            &browser,
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    let settings: Value =
        serde_json::from_str(&app.call("api_settings", Some(&cookie), "").await.body).unwrap();
    assert_eq!(
        settings["token_policy"],
        json!({ "max_lifetime_days": 60, "allow_never": false })
    );
    let beyond: Vec<&str> = settings["beyond_policy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["sid"].as_str().unwrap())
        .collect();
    assert_eq!(beyond, [forever.as_str()], "{short} is within 60 days");
    // Not cut short: the old token still works.
    app.set_api_access(&cookie, true).await;
    assert_eq!(introspect(&app, &secret).await["active"], true);
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert!(page.body.contains("Tokens live at most 60 days."));
    assert!(page.body.contains("Forever"));
    // New tokens: within the policy.
    let reply = create(
        &app,
        &cookie,
        "Ninety",
        json!({ "expiration": { "Days": 90 } }),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // A refused plain post says why in words.
    let reply = app
        .post_with(
            "/api/set_token_policy",
            Some(&cookie),
            "max_lifetime=7",
            &browser,
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .starts_with("Choose a maximum of 30, 60, 90, 180 or 365 days"),
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn the_allowlist_is_edited_on_the_token_and_applies_at_the_next_call() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Fenced later").await;
    let account = app.account_sid().await;
    let path = format!("/Advertisers/{account}/Actions");
    let auth = basic(&token.sid, &token.secret);
    let from = |client: &'static str| {
        let (app, path, auth) = (&app, path.clone(), auth.clone());
        async move { app.api_from(client, &path, &auth).await.status }
    };
    assert_eq!(from("198.51.100.4:1").await, StatusCode::OK);
    let bad = app
        .change(
            &cookie,
            &token.sid,
            json!({ "AllowedIps": { "allowed_ips": "10.0.0.1/33" } }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(super::harness::error_fields(&bad.body), ["AllowedIps"]);
    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "AllowedIps": { "allowed_ips": "203.0.113.0/24" } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(
        from("198.51.100.4:1").await,
        StatusCode::FORBIDDEN,
        "the cache saw the change"
    );
    assert_eq!(from("203.0.113.8:1").await, StatusCode::OK);
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["allowed_ips"], json!(["203.0.113.0/24"]));
    assert_eq!(
        detail["history"][0]["summary"],
        "Changed the allowed IP addresses"
    );
    // Emptied: anywhere again.
    app.change(
        &cookie,
        &token.sid,
        json!({ "AllowedIps": { "allowed_ips": "" } }),
    )
    .await;
    assert_eq!(from("198.51.100.4:1").await, StatusCode::OK);
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

//! The sandbox brand API: every answer, the version header, revocation on the very next
//! request, no database work for malformed secrets, rate limits and "last used".

use super::harness::{basic, Made, TestApp, ADMIN};
use http::StatusCode;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

struct Setup {
    app: TestApp,
    cookie: String,
    token: Made,
    account: String,
}

/// A token with `reports:get` and `actions:get` at version 12, API access on.
async fn setup() -> Setup {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Sandbox caller").await;
    app.set_api_access(&cookie, true).await;
    let account = app.account_sid().await;
    Setup {
        app,
        cookie,
        token,
        account,
    }
}

impl Setup {
    async fn call(
        &self,
        method: &str,
        resource: &str,
        auth: Option<&str>,
    ) -> super::harness::Reply {
        let path = format!("/Advertisers/{}/{resource}", self.account);
        self.app.api(method, &path, auth, &[], "").await
    }

    fn auth(&self) -> String {
        basic(&self.token.sid, &self.token.secret)
    }
}

fn body(reply: &super::harness::Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn an_allowed_scope_gets_the_decision() {
    let s = setup().await;
    let reply = s.call("GET", "Actions", Some(&s.auth())).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let decision = body(&reply);
    assert_eq!(decision["decision"], "allow");
    assert_eq!(decision["token_sid"], s.token.sid.as_str());
    assert_eq!(decision["account_sid"], s.account.as_str());
    assert_eq!(decision["category"], "actions");
    assert_eq!(decision["scope"], "actions:get");
    assert_eq!(decision["api_version"], 12);
    assert!(!reply.body.contains(&s.token.secret));
    let nested = s.call("GET", "Reports/2026/summary", Some(&s.auth())).await;
    assert_eq!(nested.status, StatusCode::OK);
    assert_eq!(body(&nested)["scope"], "reports:get");
    assert_eq!(
        body(&nested)["path"],
        format!("/Advertisers/{}/Reports/2026/summary", s.account)
    );
}

#[tokio::test]
async fn the_version_header_can_lower_but_never_raise_the_version() {
    let s = setup().await;
    let path = format!("/Advertisers/{}/Actions", s.account);
    let auth = s.auth();
    let with = |version: &'static str| {
        let path = path.clone();
        let auth = auth.clone();
        let app = &s.app;
        async move {
            app.api("GET", &path, Some(&auth), &[("ir-version", version)], "")
                .await
        }
    };
    assert_eq!(body(&with("11").await)["api_version"], 11);
    assert_eq!(body(&with("12").await)["api_version"], 12);
    assert_eq!(body(&with("14").await)["api_version"], 12);
    let bad = with("fourteen").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    // Outside 11–14 is 400, as the README says, also above the token's version.
    for outside in ["9", "10", "15", "200", "300", "x"] {
        let reply = with(outside).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "IR-Version {outside}"
        );
        assert!(reply.body.contains("11 to 14"), "{}", reply.body);
    }
}

#[tokio::test]
async fn bad_credentials_get_one_401_whatever_was_wrong() {
    let s = setup().await;
    let other = s.app.make_token(&s.cookie, "Other caller").await;
    let mut flipped = s.token.secret.clone().into_bytes();
    let last = flipped.len() - 1;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    let unknown = app::domain::TokenSecret::from_random(&"Z".repeat(30)).unwrap();
    let cases = [
        None,
        Some("Bearer something".to_string()),
        Some("Basic !!!not-base64".to_string()),
        Some(basic(&s.token.sid, "")),
        Some(basic("", &s.token.secret)),
        Some(basic(&s.token.sid, &flipped)),
        Some(basic(&s.token.sid, unknown.expose())),
        Some(basic(&other.sid, &s.token.secret)),
        Some(basic(&s.token.sid, &other.secret)),
    ];
    let mut bodies = Vec::new();
    for auth in &cases {
        let reply = s.call("GET", "Actions", auth.as_deref()).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert!(
            reply.header("www-authenticate").starts_with("Basic"),
            "{auth:?}"
        );
        bodies.push(reply.body);
    }
    bodies.dedup();
    assert_eq!(bodies.len(), 1, "one message for every failure");
}

#[tokio::test]
async fn malformed_secrets_cost_no_database_lookup() {
    let s = setup().await;
    let before = s.app.api.lookups.load(Ordering::Relaxed);
    let mut bad_checksum = s.token.secret.clone();
    bad_checksum.replace_range(6..7, if &bad_checksum[6..7] == "x" { "y" } else { "x" });
    for auth in [
        basic(&s.token.sid, &bad_checksum),
        basic(&s.token.sid, "tsm_short"),
        basic("TSnot-a-sid", &s.token.secret),
        "Basic ####".to_string(),
    ] {
        assert_eq!(
            s.call("GET", "Actions", Some(&auth)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(s.app.api.lookups.load(Ordering::Relaxed), before);
    s.call("GET", "Actions", Some(&s.auth())).await;
    assert_eq!(s.app.api.lookups.load(Ordering::Relaxed), before + 1);
}

#[tokio::test]
async fn each_refusal_says_why() {
    let s = setup().await;
    let missing = s.call("DELETE", "Actions", Some(&s.auth())).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(body(&missing)["error"], "missing scope actions:delete");

    let unknown = s.call("GET", "Nothing", Some(&s.auth())).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let bare = s
        .app
        .api(
            "GET",
            &format!("/Advertisers/{}", s.account),
            Some(&s.auth()),
            &[],
            "",
        )
        .await;
    assert_eq!(bare.status, StatusCode::NOT_FOUND);

    let method = s.call("POST", "Reports", Some(&s.auth())).await;
    assert_eq!(method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(method.header("allow"), "GET");

    let elsewhere = s
        .app
        .api(
            "GET",
            &format!("/Advertisers/AC{}/Actions", "b".repeat(32)),
            Some(&s.auth()),
            &[],
            "",
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    assert_eq!(
        body(&elsewhere)["error"],
        "the token does not belong to this account"
    );

    s.app.set_api_access(&s.cookie, false).await;
    let off = s.call("GET", "Actions", Some(&s.auth())).await;
    assert_eq!(off.status, StatusCode::FORBIDDEN);
    assert_eq!(body(&off)["error"], "API access is off for this account");
    s.app.set_api_access(&s.cookie, true).await;

    s.app
        .change(
            &s.cookie,
            &s.token.sid,
            json!({ "SetEnabled": { "enabled": false } }),
        )
        .await;
    let disabled = s.call("GET", "Actions", Some(&s.auth())).await;
    assert_eq!(disabled.status, StatusCode::FORBIDDEN);
    assert_eq!(body(&disabled)["error"], "the token is disabled");
}

#[tokio::test]
async fn revocation_takes_effect_on_the_very_next_request() {
    let s = setup().await;
    assert_eq!(
        s.call("GET", "Actions", Some(&s.auth())).await.status,
        StatusCode::OK
    );
    // Reset: the old secret is dead, the new one works.
    let reset = s.app.change(&s.cookie, &s.token.sid, json!("Reset")).await;
    let new_secret = body(&reset)["secret"].as_str().unwrap().to_string();
    assert_eq!(
        s.call("GET", "Actions", Some(&s.auth())).await.status,
        StatusCode::UNAUTHORIZED
    );
    let fresh = basic(&s.token.sid, &new_secret);
    assert_eq!(
        s.call("GET", "Actions", Some(&fresh)).await.status,
        StatusCode::OK
    );
    // API access off, then on again.
    s.app.set_api_access(&s.cookie, false).await;
    assert_eq!(
        s.call("GET", "Actions", Some(&fresh)).await.status,
        StatusCode::FORBIDDEN
    );
    s.app.set_api_access(&s.cookie, true).await;
    // Disable, enable.
    let off = json!({ "SetEnabled": { "enabled": false } });
    s.app.change(&s.cookie, &s.token.sid, off).await;
    assert_eq!(
        s.call("GET", "Actions", Some(&fresh)).await.status,
        StatusCode::FORBIDDEN
    );
    let on = json!({ "SetEnabled": { "enabled": true } });
    s.app.change(&s.cookie, &s.token.sid, on).await;
    assert_eq!(
        s.call("GET", "Actions", Some(&fresh)).await.status,
        StatusCode::OK
    );
    // A scope taken away, then given back.
    let fewer = json!({ "Scopes": { "scopes": ["reports:get"] } });
    s.app.change(&s.cookie, &s.token.sid, fewer).await;
    assert_eq!(
        s.call("GET", "Actions", Some(&fresh)).await.status,
        StatusCode::FORBIDDEN
    );
    let again = json!({ "Scopes": { "scopes": ["reports:get", "actions:get"] } });
    s.app.change(&s.cookie, &s.token.sid, again).await;
    assert_eq!(
        s.call("GET", "Actions", Some(&fresh)).await.status,
        StatusCode::OK
    );
    // Delete: never again.
    s.app.change(&s.cookie, &s.token.sid, json!("Delete")).await;
    assert_eq!(
        s.call("GET", "Actions", Some(&fresh)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn repeated_failures_from_one_client_get_429() {
    let s = setup().await;
    let wrong = basic(
        &s.token.sid,
        app::domain::TokenSecret::from_random(&"Q".repeat(30))
            .unwrap()
            .expose(),
    );
    for _ in 0..super::harness::LIMITS.auth_failures_per_minute {
        assert_eq!(
            s.call("GET", "Actions", Some(&wrong)).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = s.call("GET", "Actions", Some(&wrong)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.header("retry-after").parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // While limited, even good credentials wait: guessing gains nothing.
    let good = s.call("GET", "Actions", Some(&s.auth())).await;
    assert_eq!(good.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn successful_calls_record_last_used() {
    let s = setup().await;
    // Refused calls are not uses: not a scope the token lacks, nor a wrong secret.
    let refused = s.call("DELETE", "Actions", Some(&s.auth())).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let last = if s.token.secret.ends_with('x') {
        'y'
    } else {
        'x'
    };
    let wrong = basic(&s.token.sid, &format!("{}{last}", &s.token.secret[..39]));
    let refused = s.call("GET", "Actions", Some(&wrong)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    s.app.api.last_used.flush(&s.app.pool).await.unwrap();
    let list = s.app.list(&s.cookie, json!({})).await;
    assert_eq!(list["cards"][0]["last_used_at"], Value::Null);
    assert_eq!(
        s.call("GET", "Actions", Some(&s.auth())).await.status,
        StatusCode::OK
    );
    s.app.api.last_used.flush(&s.app.pool).await.unwrap();
    let list = s.app.list(&s.cookie, json!({})).await;
    assert!(list["cards"][0]["last_used_at"].is_string(), "{list}");
    let detail: Value =
        serde_json::from_str(&s.app.detail(&s.cookie, &s.token.sid).await.body).unwrap();
    assert!(detail["last_used_at"].is_string());
    // Recording "last used" is not a change: the revision stays.
    assert_eq!(s.app.revision(&s.token.sid).await, 1);
}

/// Failures naming Token SIDs no token has share the address's one count: a caller who
/// makes up a new SID for every guess is limited all the same, and makes no key per SID.
#[tokio::test]
async fn made_up_sids_share_one_failure_count() {
    let s = setup().await;
    let secret = app::domain::TokenSecret::from_random(&"Q".repeat(30)).unwrap();
    let mut statuses = Vec::new();
    let limit = super::harness::LIMITS.auth_failures_per_minute as usize;
    for i in 0..limit + 5 {
        let sid = format!("TS{:032}", i);
        let made_up = basic(&sid, secret.expose());
        statuses.push(s.call("GET", "Actions", Some(&made_up)).await.status);
    }
    assert!(statuses[..limit]
        .iter()
        .all(|s| *s == StatusCode::UNAUTHORIZED));
    assert_eq!(statuses[limit..], [StatusCode::TOO_MANY_REQUESTS; 5]);
    // The real token's own credentials, from the same address, still work.
    let good = s.call("GET", "Actions", Some(&s.auth())).await;
    assert_eq!(good.status, StatusCode::OK);
    let keys = match s.app.api.failures.held_in_memory() {
        Some(keys) => keys as i64,
        // Shared by the instances: the sandbox's keys are "<address> <credential>".
        None => app::ssr::db::engine::query(
            "SELECT COUNT(*) FROM counter_windows
             WHERE key NOT LIKE 'account %' AND key NOT LIKE 'address %'",
        )
        .scalar::<i64>(&s.app.pool)
        .await
        .unwrap(),
    };
    assert!(keys <= 2, "{keys} keys");
}

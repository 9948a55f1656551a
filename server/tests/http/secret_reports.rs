//! Secrets reported exposed: GitHub's signed reports (`POST /secret-scanning/github`) and
//! anyone's (`POST /secret-scanning/report`), each handled by the account's **When a token
//! is exposed** policy, once.

use super::harness::{Reply, TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use super::harness_tokens::Made;
use super::token_governance::{actions, introspect};
use super::token_revocation::reset_keeping_old;
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const FOUND_AT: &str = "https://github.com/octo/app/blob/0a1b2c/config.env";

/// A GitHub report of `secrets`, each found at [`FOUND_AT`] in a file's content.
fn github_body(secrets: &[&str]) -> String {
    let matches: Vec<Value> = secrets
        .iter()
        .map(|token| {
            json!({ "token": token, "type": "tokensmith_auth_token", "url": FOUND_AT, "source": "content" })
        })
        .collect();
    Value::Array(matches).to_string()
}

fn feedback(reply: &Reply) -> Vec<(String, String, String)> {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let body: Vec<Value> = serde_json::from_str(&reply.body).unwrap();
    body.iter()
        .map(|entry| {
            let text = |key: &str| entry[key].as_str().unwrap().to_string();
            (text("token_hash"), text("token_type"), text("label"))
        })
        .collect()
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(super) async fn count(app: &TestApp, sql: &'static str) -> i64 {
    query(sql).scalar(&app.pool).await.unwrap()
}

/// Audit events and messages about exposures so far.
async fn written(app: &TestApp) -> (i64, i64) {
    (
        count(
            app,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'exposed'",
        )
        .await,
        count(
            app,
            "SELECT COUNT(*) FROM notifications WHERE subject LIKE '%: secret exposed'",
        )
        .await,
    )
}

async fn set_policy(app: &TestApp, cookie: &str, policy: &str) {
    let reply = app
        .call(
            "set_exposure_policy",
            Some(cookie),
            &format!("policy={policy}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

/// An account with API access on and one token; the admin's cookie.
pub(super) async fn with_token(app: &TestApp, name: &str) -> (String, Made) {
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, name).await;
    (cookie, token)
}

#[tokio::test]
async fn a_signed_report_revokes_the_secret_once_and_says_which_were_ours() {
    let app = TestApp::new().await;
    let (cookie, token) = with_token(&app, "Leaked").await;
    let unknown = app::domain::TokenSecret::from_random(&"k".repeat(30)).unwrap();
    let secrets = [token.secret.as_str(), unknown.expose(), "not-a-token"];
    let reply = app.report_github(&github_body(&secrets)).await;
    let labels = feedback(&reply);
    let expected: Vec<(String, String, String)> = secrets
        .iter()
        .zip(["true_positive", "false_positive", "false_positive"])
        .map(|(secret, label)| {
            let kind = "tokensmith_auth_token".to_string();
            (sha256_hex(secret), kind, label.to_string())
        })
        .collect();
    assert_eq!(labels, expected);
    // Revoked at once: the secret is refused as bad credentials, the token stays enabled.
    let refused = actions(&app, &token.sid, &token.secret).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.body);
    assert_eq!(
        introspect(&app, &token.secret).await,
        json!({ "active": false })
    );
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["enabled"], true);
    assert_eq!(detail["secret_revoked"], true);
    assert_eq!(detail["exposure"]["url"], FOUND_AT);
    assert_eq!(detail["exposure"]["link"], true);
    assert_eq!(
        detail["exposure"]["reporter"],
        "GitHub secret scanning (content)"
    );
    assert_eq!(detail["history"][0]["actor"], "Secret scanning");
    assert_eq!(
        detail["history"][0]["summary"],
        "Reported exposed by secret scanning"
    );
    let lines = detail["history"][0]["details"].to_string();
    assert!(lines.contains(FOUND_AT), "{lines}");
    assert!(
        lines.contains("The exposed Auth Token was revoked"),
        "{lines}"
    );
    // Contacts and administrators told, never with the secret.
    let told: Vec<(String, String)> = query(
        "SELECT recipient, body FROM notifications WHERE subject LIKE '%: secret exposed'
         ORDER BY recipient",
    )
    .fetch_all::<(String, String)>(&app.pool)
    .await
    .unwrap();
    let recipients: Vec<&str> = told.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(recipients, ["admin@acme.test", "dev@partner.test"]);
    assert!(told
        .iter()
        .all(|(_, body)| body.contains(FOUND_AT) && !body.contains(&token.secret)));
    assert_eq!(written(&app).await, (1, 2));

    // The same report again: the same answer, and nothing written twice.
    let again = app.report_github(&github_body(&secrets)).await;
    assert_eq!(feedback(&again), expected);
    assert_eq!(written(&app).await, (1, 2));
}

#[tokio::test]
async fn each_policy_does_what_it_says() {
    let app = TestApp::new().await;
    let (cookie, _) = with_token(&app, "Unused").await;
    let disabled = app.make_token(&cookie, "Disabled on report").await;
    set_policy(&app, &cookie, "disable").await;
    feedback(&app.report_github(&github_body(&[&disabled.secret])).await);
    let reply = actions(&app, &disabled.sid, &disabled.secret).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.body);
    assert!(reply.body.contains("disabled"), "{}", reply.body);
    // Enable would bring the exposed secret back: a Reset comes first.
    let enable = json!({ "SetEnabled": { "enabled": true } });
    let refused = app.change(&cookie, &disabled.sid, enable).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(refused.body.contains("found in public"), "{}", refused.body);

    let notified = app.make_token(&cookie, "Notified on report").await;
    set_policy(&app, &cookie, "notify").await;
    feedback(&app.report_github(&github_body(&[&notified.secret])).await);
    let reply = actions(&app, &notified.sid, &notified.secret).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let detail: Value =
        serde_json::from_str(&app.detail(&cookie, &notified.sid).await.body).unwrap();
    assert_eq!(detail["exposure"]["url"], FOUND_AT);
    let lines = detail["history"][0]["details"].to_string();
    assert!(lines.contains("Notify only"), "{lines}");
    assert_eq!(written(&app).await.0, 2);
    // Both exposed tokens are in the list's Exposed filter, and only they.
    let list = app.list(&cookie, json!({ "state": "Exposed" })).await;
    let mut names = super::harness_tokens::names(&list);
    names.sort();
    assert_eq!(names, ["Disabled on report", "Notified on report"]);
    // The policy change itself is audited.
    let changes = count(
        &app,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'token_policy_changed'",
    )
    .await;
    assert_eq!(changes, 2);
}

#[tokio::test]
async fn only_an_administrator_in_sudo_mode_sets_the_policy_and_only_to_a_choice() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let bad = app
        .call("set_exposure_policy", Some(&admin), "policy=delete")
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(
        bad.body.contains("revoke, disable or notify"),
        "{}",
        bad.body
    );
    for email in [SPECIALIST, ANALYST, FINANCE] {
        let cookie = app.sign_in(email).await;
        let refused = app
            .call("set_exposure_policy", Some(&cookie), "policy=notify")
            .await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{email}: {}",
            refused.body
        );
    }
    let nobody = app.call("set_exposure_policy", None, "policy=notify").await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED, "{}", nobody.body);
    let policy: String = query("SELECT exposure_policy FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(policy, "revoke");
}

#[tokio::test]
async fn unsigned_or_malformed_reports_change_nothing() {
    use base64::Engine;
    use p256::ecdsa::signature::Signer;
    let app = TestApp::new().await;
    let (_, token) = with_token(&app, "Still fine").await;
    let body = github_body(&[&token.secret]);
    let signature: p256::ecdsa::DerSignature = app.scanning_key.sign(body.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(signature.as_bytes());
    let other = p256::ecdsa::SigningKey::from_slice(&[9; 32]).unwrap();
    let forged: p256::ecdsa::DerSignature = other.sign(body.as_bytes());
    let forged = base64::engine::general_purpose::STANDARD.encode(forged.as_bytes());
    let send = |id: &'static str, signature: String, body: String| {
        let app = &app;
        async move {
            let mut headers = vec![("content-type", "application/json")];
            headers.push(("github-public-key-identifier", id));
            let signature = signature;
            let headers: Vec<(&str, &str)> = headers
                .into_iter()
                .chain([("github-public-key-signature", signature.as_str())])
                .collect();
            app.api("POST", "/secret-scanning/github", None, &headers, &body)
                .await
        }
    };
    let id = super::harness::SCANNING_KEY_ID;
    for (why, reply) in [
        (
            "another key's signature",
            send(id, forged.clone(), body.clone()).await,
        ),
        (
            "an unknown key",
            send("other-key", signature.clone(), body.clone()).await,
        ),
        ("not base64", send(id, "%%%".into(), body.clone()).await),
        (
            "another body",
            send(id, signature.clone(), body.replace("content", "commit")).await,
        ),
        (
            "no signature",
            app.api("POST", "/secret-scanning/github", None, &[], &body)
                .await,
        ),
    ] {
        assert_eq!(
            reply.status,
            StatusCode::UNAUTHORIZED,
            "{why}: {}",
            reply.body
        );
        assert!(
            reply.body.contains("Signature refused"),
            "{why}: {}",
            reply.body
        );
    }
    // Signed, but not what GitHub sends.
    for junk in ["{", "{\"token\":\"x\"}", "[1, 2]", ""] {
        let reply = app.report_github(junk).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{junk:?}: {}",
            reply.body
        );
    }
    let many = github_body(&vec!["x"; 501]);
    let reply = app.report_github(&many).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    let huge = github_body(&[&"x".repeat(70 * 1024)]);
    let reply = app.report_github(&huge).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.body
    );
    assert_eq!(written(&app).await, (0, 0));
    let reply = actions(&app, &token.sid, &token.secret).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn a_reset_ends_the_exposure_and_never_keeps_the_exposed_secret() {
    let app = TestApp::new().await;
    let (cookie, token) = with_token(&app, "Rotate me").await;
    set_policy(&app, &cookie, "notify").await;
    feedback(&app.report_github(&github_body(&[&token.secret])).await);
    // Asked to keep the old secret for an hour: an exposed one stops at once all the same.
    let new = &reset_keeping_old(&app, &cookie, &token.sid).await;
    let old = actions(&app, &token.sid, &token.secret).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED, "{}", old.body);
    let fresh = actions(&app, &token.sid, new).await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert_eq!(detail["exposure"], Value::Null);
    assert_eq!(detail["old_secret_until"], Value::Null);
    let list = app.list(&cookie, json!({ "state": "Exposed" })).await;
    assert!(super::harness_tokens::names(&list).is_empty());
}

#[tokio::test]
async fn an_old_secret_reported_during_an_overlap_ends_the_overlap_only() {
    let app = TestApp::new().await;
    let (cookie, token) = with_token(&app, "Overlapping").await;
    let new = &reset_keeping_old(&app, &cookie, &token.sid).await;
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::OK
    );
    let labels = feedback(&app.report_github(&github_body(&[&token.secret])).await);
    assert_eq!(labels[0].2, "true_positive");
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(actions(&app, &token.sid, new).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reports_of_one_secret_at_once_act_once() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let (_, token) = with_token(&app, "Reported by many").await;
    let body = github_body(&[&token.secret]);
    let reports: Vec<_> = (0..8)
        .map(|_| {
            let (app, body) = (app.clone(), body.clone());
            tokio::spawn(async move { app.report_github(&body).await })
        })
        .collect();
    for report in reports {
        let labels = feedback(&report.await.unwrap());
        assert_eq!(labels[0].2, "true_positive");
    }
    assert_eq!(written(&app).await, (1, 2));
}

#[tokio::test]
async fn a_stricter_policy_acts_on_the_next_report_of_a_secret_already_reported() {
    let app = TestApp::new().await;
    let (cookie, token) = with_token(&app, "Notified first").await;
    set_policy(&app, &cookie, "notify").await;
    let body = github_body(&[&token.secret]);
    feedback(&app.report_github(&body).await);
    feedback(&app.report_github(&body).await);
    assert_eq!(written(&app).await.0, 1);
    assert_eq!(
        actions(&app, &token.sid, &token.secret).await.status,
        StatusCode::OK
    );
    set_policy(&app, &cookie, "revoke").await;
    feedback(&app.report_github(&body).await);
    assert_eq!(written(&app).await.0, 2);
    let reply = actions(&app, &token.sid, &token.secret).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.body);
    feedback(&app.report_github(&body).await);
    assert_eq!(written(&app).await.0, 2);
}

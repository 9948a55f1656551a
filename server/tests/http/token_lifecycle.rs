//! The token detail page's server side: `get_token` and every `change_token` action,
//! with its validation, roles, other accounts, stale revisions and audit trail.

use super::harness::{error_fields, names, TestApp, ADMIN, SPECIALIST};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

async fn audit(app: &TestApp, sid: &str) -> Vec<(String, Value)> {
    let rows: Vec<(String, String)> = query(
        "SELECT a.action, a.detail FROM audit_events a JOIN tokens t ON t.id = a.token_id
         WHERE t.sid = $1 ORDER BY a.id",
    )
    .bind(sid)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(action, detail)| (action, serde_json::from_str(&detail).unwrap()))
        .collect()
}

async fn outbox_subjects(app: &TestApp, sid: &str) -> Vec<(String, String)> {
    query(
        "SELECT n.recipient, n.subject FROM notifications n JOIN tokens t ON t.id = n.token_id
         WHERE t.sid = $1 ORDER BY n.id",
    )
    .bind(sid)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap()
}

#[tokio::test]
async fn the_detail_holds_everything_but_the_secret() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let reply = app.detail(&cookie, &token.sid).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let detail = json_of(&reply.body);
    assert_eq!(detail["name"], "Feed sync");
    assert_eq!(detail["version"], 1);
    assert_eq!(detail["scopes"], json!(["actions:get", "reports:get"]));
    assert_eq!(detail["developer_emails"], json!(["dev@partner.test"]));
    assert_eq!(detail["history"][0]["summary"], "Created the token");
    assert_eq!(
        detail["outbox"][0]["status"],
        "Not sent: no mail server configured"
    );
    let last4 = &token.secret[token.secret.len() - 4..];
    assert_eq!(detail["secret_hint"], format!("tsm_…{last4}"));
    assert!(!reply.body.contains(&token.secret));

    let page = app
        .get(
            &format!("/settings/api/tokens/{}", token.sid),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Feed sync"));
    assert!(page.body.contains("Created the token"));
    assert!(!page.body.contains(&token.secret));
}

#[tokio::test]
async fn editing_the_overview_is_audited_and_notified() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(SPECIALIST).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Overview": { "name": "  Catalog feed ", "description": "Nightly" } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(json_of(&reply.body)["version"], 2);
    let list = app.list(&cookie, json!({})).await;
    assert_eq!(names(&list), ["Catalog feed"]);
    let events = audit(&app, &token.sid).await;
    assert_eq!(events[1].0, "edited");
    assert_eq!(
        events[1].1["changes"][0],
        json!({ "field": "Name", "before": "Feed sync", "after": "Catalog feed" })
    );
    let outbox = outbox_subjects(&app, &token.sid).await;
    assert!(outbox.contains(&(
        "dev@partner.test".to_string(),
        "API access token \"Catalog feed\": name or description changed".to_string()
    )));
}

#[tokio::test]
async fn the_overview_uses_the_wizards_rules() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    app.make_token(&cookie, "Reporting").await;
    let short = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Overview": { "name": "ab", "description": "" } }),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&short.body), ["TokenName"]);
    let long = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Overview": { "name": "Feed sync", "description": "x".repeat(501) } }),
        )
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&long.body), ["Description"]);
    let taken = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Overview": { "name": "REPORTING", "description": "" } }),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    assert_eq!(error_fields(&taken.body), ["TokenName"]);
    // A token may change the case of its own name.
    let own = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Overview": { "name": "FEED SYNC", "description": "" } }),
        )
        .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(app.revision(&token.sid).await, 2);
}

#[tokio::test]
async fn the_version_can_only_be_raised() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await; // version 12
    let up = app
        .change(
            &cookie,
            &token.sid,
            json!({ "UpgradeVersion": { "api_version": 14 } }),
        )
        .await;
    assert_eq!(up.status, StatusCode::OK, "{}", up.body);
    let down = app
        .change(
            &cookie,
            &token.sid,
            json!({ "UpgradeVersion": { "api_version": 13 } }),
        )
        .await;
    assert_eq!(down.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        down.body
            .contains("Choose a version above 14: a token's API version can only be raised."),
        "{}",
        down.body
    );
    let same = app
        .change(
            &cookie,
            &token.sid,
            json!({ "UpgradeVersion": { "api_version": 14 } }),
        )
        .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .change(
            &cookie,
            &token.sid,
            json!({ "UpgradeVersion": { "api_version": 15 } }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&unknown.body), ["ApiVersion"]);
    let detail = json_of(&app.detail(&cookie, &token.sid).await.body);
    assert_eq!(detail["api_version"], 14);
    let events = audit(&app, &token.sid).await;
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[1].1["changes"][0],
        json!({ "field": "API version", "before": "12", "after": "14" })
    );
}

#[tokio::test]
async fn contacts_are_checked_and_both_old_and_new_hear_of_the_change() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let specialist = app.user_id(SPECIALIST).await;
    let ok = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Contacts": { "primary_contact": specialist, "developer_emails": ["new@partner.test"] } }),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let detail = json_of(&app.detail(&cookie, &token.sid).await.body);
    assert_eq!(
        detail["primary_contact"],
        "Sam Rivera <specialist@acme.test>"
    );
    assert_eq!(detail["developer_emails"], json!(["new@partner.test"]));
    let told: Vec<String> = outbox_subjects(&app, &token.sid)
        .await
        .into_iter()
        .filter(|(_, subject)| subject.ends_with("contacts changed"))
        .map(|(to, _)| to)
        .collect();
    assert_eq!(
        told,
        [
            "specialist@acme.test",
            "new@partner.test",
            "admin@acme.test",
            "dev@partner.test"
        ]
    );

    let none = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Contacts": { "primary_contact": null, "developer_emails": ["bad"] } }),
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error_fields(&none.body),
        ["PrimaryContact", "DeveloperEmails"]
    );
    let stranger = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Contacts": { "primary_contact": 9999, "developer_emails": [] } }),
        )
        .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&stranger.body), ["PrimaryContact"]);
}

#[tokio::test]
async fn scope_changes_record_what_was_added_and_removed() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Scopes": { "scopes": ["reports:get", "actions:delete"] } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let events = audit(&app, &token.sid).await;
    assert_eq!(events[1].0, "scopes_changed");
    assert_eq!(events[1].1["scopes_added"], json!(["actions:delete"]));
    assert_eq!(events[1].1["scopes_removed"], json!(["actions:get"]));
    let detail = json_of(&app.detail(&cookie, &token.sid).await.body);
    assert_eq!(
        detail["history"][0]["details"],
        json!([
            "Scopes added: actions:delete",
            "Scopes removed: actions:get"
        ])
    );
    let empty = app
        .change(&cookie, &token.sid, json!({ "Scopes": { "scopes": [] } }))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_fields(&empty.body), ["Scopes"]);
    let unknown = app
        .change(
            &cookie,
            &token.sid,
            json!({ "Scopes": { "scopes": ["actions:fly"] } }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn disable_and_enable_change_the_card() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let off = app
        .change(
            &cookie,
            &token.sid,
            json!({ "SetEnabled": { "enabled": false } }),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK);
    let list = app.list(&cookie, json!({})).await;
    assert_eq!(list["cards"][0]["enabled"], false);
    let on = app
        .change(
            &cookie,
            &token.sid,
            json!({ "SetEnabled": { "enabled": true } }),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK);
    let list = app.list(&cookie, json!({})).await;
    assert_eq!(list["cards"][0]["enabled"], true);
    let actions: Vec<String> = audit(&app, &token.sid)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(actions, ["created", "disabled", "enabled"]);
}

#[tokio::test]
async fn reset_issues_a_new_secret_and_the_old_one_no_longer_matches() {
    use app::domain::TokenSecret;
    use app::ssr::credentials::hash_secret;
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let reply = app.change(&cookie, &token.sid, json!("Reset")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), "no-store");
    let outcome = json_of(&reply.body);
    let new_secret = outcome["secret"].as_str().unwrap();
    assert_ne!(new_secret, token.secret);
    let stored: Vec<u8> = query("SELECT secret_hash FROM tokens WHERE sid = $1")
        .bind(&token.sid)
        .scalar(&app.pool)
        .await
        .unwrap();
    let new_hash = hash_secret(&TokenSecret::parse(new_secret).unwrap());
    let old_hash = hash_secret(&TokenSecret::parse(&token.secret).unwrap());
    assert_eq!(stored, new_hash);
    let old_matches: i64 = query("SELECT COUNT(*) FROM tokens WHERE secret_hash = $1")
        .bind(old_hash.as_slice())
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(old_matches, 0);
    // The secret is shown once: the detail and the history never hold it.
    let detail = app.detail(&cookie, &token.sid).await;
    assert!(!detail.body.contains(new_secret));
    assert!(detail.body.contains(&new_secret[new_secret.len() - 4..]));
    assert!(detail.body.contains("Reset the secret"));
}

#[tokio::test]
async fn a_deleted_token_leaves_every_list_and_answers_404() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let kept = app.make_token(&cookie, "Reporting").await;
    let reply = app.change(&cookie, &token.sid, json!("Delete")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(json_of(&reply.body)["deleted"], true);
    let list = app.list(&cookie, json!({})).await;
    assert_eq!(names(&list), ["Reporting"]);
    assert_eq!(list["total"], 1);
    assert_eq!(
        app.detail(&cookie, &token.sid).await.status,
        StatusCode::NOT_FOUND
    );
    let page = app
        .get(
            &format!("/settings/api/tokens/{}", token.sid),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Token not found"));
    let again = app.change_at(&cookie, &token.sid, 2, json!("Reset")).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    // Its name is free again; the other token is untouched.
    app.make_token(&cookie, "Feed sync").await;
    assert_eq!(app.revision(&kept.sid).await, 1);
    let actions: Vec<String> = audit(&app, &token.sid)
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(actions, ["created", "deleted"]);
}

/// A description is free text anyone with the right role can type: messages to the
/// token's contacts say it changed and never quote it.
#[tokio::test]
async fn messages_never_quote_a_description() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let text = "Your token expires: confirm at https://evil.test/renew";
    let change = json!({ "Overview": { "name": "Feed sync", "description": text } });
    assert_eq!(
        app.change(&cookie, &token.sid, change).await.status,
        StatusCode::OK
    );
    let bodies: Vec<String> = query("SELECT body FROM notifications")
        .scalars(&app.pool)
        .await
        .unwrap();
    assert!(bodies.iter().any(|b| b.contains("Description changed")));
    assert!(
        bodies.iter().all(|b| !b.contains("evil.test")),
        "{bodies:?}"
    );
    assert!(bodies
        .iter()
        .all(|b| b.contains(&format!("/settings/api/tokens/{}", token.sid))));
}

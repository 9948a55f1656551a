//! What webhook messages say about users and token requests, through the real router:
//! each event names who and what by id and name, and never carries a reason's words.

use super::harness::{TestApp, ADMIN, SPECIALIST};
use super::users::{add, change};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

/// The payloads queued so far, oldest first.
async fn payloads(app: &TestApp) -> Vec<Value> {
    query("SELECT payload FROM webhook_messages ORDER BY id")
        .scalars::<String>(&app.pool)
        .await
        .unwrap()
        .iter()
        .map(|p| serde_json::from_str(p).unwrap())
        .collect()
}

#[tokio::test]
async fn user_and_request_events_name_who_and_what_and_never_a_reason() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let events = json!([
        "user.added",
        "user.disabled",
        "request.created",
        "request.denied"
    ]);
    let body = json!({ "url": "http://127.0.0.1:9/hook", "description": "", "events": events });
    let added = app.call_json("add_webhook", Some(&admin), &body).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);

    let reply = add(&app, &admin, "new@acme.test", "Noor New", "analyst").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = app.user_id("new@acme.test").await;
    let disabled = change(&app, &admin, id, json!("Disable")).await;
    assert_eq!(disabled.status, StatusCode::OK, "{}", disabled.body);

    let set = app
        .call(
            "set_token_creation",
            Some(&admin),
            "creation=needs_approval",
        )
        .await;
    assert_eq!(set.status, StatusCode::OK);
    let specialist = app.sign_in(SPECIALIST).await;
    let draft = app.review_draft("Agency feed", json!({})).await;
    let body = json!({ "draft": draft, "reason": "Secret project Nightjar" });
    let made = app
        .call_json("request_token", Some(&specialist), &body)
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let number = serde_json::from_str::<Value>(&made.body).unwrap()["id"]
        .as_i64()
        .unwrap();
    let body = format!("id={number}&reason=Not+this+quarter+Nightjar");
    let denied = app.call("deny_request", Some(&admin), &body).await;
    assert_eq!(denied.status, StatusCode::OK, "{}", denied.body);

    let sent = payloads(&app).await;
    let types: Vec<&str> = sent.iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "user.added",
            "user.disabled",
            "request.created",
            "request.denied"
        ]
    );
    let user = json!({ "id": "new@acme.test", "name": "Noor New" });
    assert_eq!(sent[0]["data"]["user"], user);
    assert_eq!(sent[1]["data"]["user"], user);
    assert_eq!(sent[1]["data"]["actor"]["id"], ADMIN);
    let request = json!({ "id": number.to_string(), "name": "Agency feed" });
    assert_eq!(sent[2]["data"]["request"], request);
    assert_eq!(sent[2]["data"]["actor"]["id"], SPECIALIST);
    assert_eq!(sent[3]["data"]["request"]["id"], number.to_string());
    for payload in &sent {
        assert!(!payload.to_string().contains("Nightjar"), "{payload}");
    }
}

#[tokio::test]
async fn a_token_about_to_expire_and_one_that_expired_are_announced_once_each() {
    use app::ssr::db::expiry_warnings;
    use app::ssr::now;
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let events = json!(["token.expiring", "token.expired"]);
    let body = json!({ "url": "http://127.0.0.1:9/hook", "description": "", "events": events });
    let added = app.call_json("add_webhook", Some(&admin), &body).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let token = app.make_token(&admin, "Nightly").await;
    let at = now();
    query("UPDATE tokens SET expires_at = $1 WHERE sid = $2")
        .bind(at + 3600)
        .bind(&token.sid)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(expiry_warnings::queue_due(&app.pool, at).await.unwrap(), 1);
    query("UPDATE tokens SET expires_at = $1 WHERE sid = $2")
        .bind(at - 5)
        .bind(&token.sid)
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        expiry_warnings::announce_expired(&app.pool, at)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        expiry_warnings::announce_expired(&app.pool, at + 60)
            .await
            .unwrap(),
        0
    );
    let sent = payloads(&app).await;
    let types: Vec<&str> = sent.iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["token.expiring", "token.expired"]);
    for payload in &sent {
        assert_eq!(payload["data"]["token"]["id"], token.sid.as_str());
        assert_eq!(payload["data"]["actor"], Value::Null);
    }
    assert_eq!(sent[1]["data"]["expires_at"], app::ssr::rfc3339(at - 5));
}

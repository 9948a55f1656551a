//! Webhooks through the real router and the real worker, on both engines: an endpoint
//! added (its secret once), each token event queued with the change and delivered signed
//! (Standard Webhooks), in order, retried with the same id; rotation signing with both
//! secrets; disabled, deleted and failing endpoints; two workers never at one endpoint at
//! once. The refusals and roles are in `webhook_doors.rs`.

use super::harness::{Reply, TestApp, ADMIN};
use super::webhook_receiver::{Received, Receiver};
use app::ssr::db::engine::query;
use app::ssr::now;
use app::ssr::webhook_signature::SigningKey;
use http::StatusCode;
use serde_json::{json, Value};
use server::workers::webhooks::{deliver_due, WebhookClient};
use std::sync::Arc;

pub(super) fn parsed(reply: &Reply) -> Value {
    serde_json::from_str(&reply.body).unwrap_or_else(|_| panic!("{}", reply.body))
}

fn client() -> Arc<WebhookClient> {
    let reach = app::domain::webhook_address::Reach::parse("127.0.0.1/32").unwrap();
    Arc::new(WebhookClient::new(reach).unwrap())
}

pub(super) async fn add(app: &TestApp, cookie: &str, url: &str, events: &[&str]) -> Reply {
    let body = json!({ "url": url, "description": "Ops", "events": events });
    app.call_json("add_webhook", Some(cookie), &body).await
}

/// Adds an endpoint; its number and secret.
pub(super) async fn added(
    app: &TestApp,
    cookie: &str,
    url: &str,
    events: &[&str],
) -> (i64, String) {
    let reply = add(app, cookie, url, events).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let shown = parsed(&reply);
    let secret = shown["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    (shown["id"].as_i64().unwrap(), secret)
}

/// Runs passes `seconds_apart` into the future until nothing is waiting (at most 40).
async fn deliver_all(app: &TestApp, client: &Arc<WebhookClient>, seconds_apart: i64) {
    for pass in 1..=40 {
        deliver_due(&app.pool, client, now() + pass * seconds_apart)
            .await
            .unwrap();
        let waiting: i64 =
            query("SELECT COUNT(*) FROM webhook_messages WHERE state IN ('queued', 'sending')")
                .scalar(&app.pool)
                .await
                .unwrap();
        if waiting == 0 {
            return;
        }
    }
    panic!("messages still waiting after 40 passes");
}

/// Whether `received` carries a signature by `secret` (as a Standard Webhooks receiver
/// checks it).
fn signed_by(received: &Received, secret: &str) -> bool {
    let key = SigningKey::parse(secret).unwrap();
    let expected = key.sign(&received.id, received.timestamp, received.body.as_bytes());
    received.signature.split(' ').any(|s| s == expected)
}

#[tokio::test]
async fn token_events_arrive_signed_in_order_and_a_failure_is_retried_with_the_same_id() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let receiver = Receiver::start().await;
    let events = ["token.created", "token.scopes_changed", "token.deleted"];
    let (id, secret) = added(&app, &admin, &receiver.url, &events).await;
    // The secret is shown once: never in the list or the endpoint's page.
    let list = app.call("list_webhooks", Some(&admin), "").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains(&receiver.url) && !list.body.contains(&secret));
    let page = app
        .call("get_webhook", Some(&admin), &format!("id={id}"))
        .await;
    assert!(!page.body.contains(&secret), "{}", page.body);

    let token = app.make_token(&admin, "Feed sync").await;
    let scopes = json!({ "Scopes": { "scopes": ["reports:get", "actions:delete"] } });
    let changed = app.change(&admin, &token.sid, scopes).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    // Not asked for: no message.
    app.change(&admin, &token.sid, json!("Disable")).await;
    app.change(&admin, &token.sid, json!("Delete")).await;
    let queued: i64 = query("SELECT COUNT(*) FROM webhook_messages")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(queued, 3);

    // The first attempt fails; nothing behind it is tried until it is delivered.
    receiver.answer(500);
    let client = client();
    let pass = deliver_due(&app.pool, &client, now()).await.unwrap();
    assert_eq!((pass.delivered, pass.failed), (0, 1));
    assert_eq!(receiver.received().len(), 1);
    receiver.answer(200);
    deliver_all(&app, &client, 10).await;

    let received = receiver.received();
    assert_eq!(received.len(), 4, "{received:?}");
    assert_eq!(
        received[0].id, received[1].id,
        "a retry keeps its webhook-id"
    );
    assert!(received[0].id.starts_with("msg_"));
    let bodies: Vec<Value> = received[1..]
        .iter()
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(types, events);
    for r in &received {
        assert!(signed_by(r, &secret), "{r:?}");
        assert!(!r.body.contains(&token.secret), "a secret in {}", r.body);
        assert!((r.timestamp - now()).abs() < 60);
    }
    let data = &bodies[1]["data"];
    assert_eq!(data["token"]["id"], token.sid.as_str());
    assert_eq!(data["token"]["name"], "Feed sync");
    assert_eq!(data["actor"]["id"], ADMIN);
    assert_eq!(data["scopes"]["added"], json!(["actions:delete"]));
    assert_eq!(
        data["scopes"]["after"],
        json!(["actions:delete", "reports:get"])
    );
    assert_eq!(data["account"], app.account_sid().await.as_str());

    // The page lists each delivery with its last answer.
    let page = parsed(
        &app.call("get_webhook", Some(&admin), &format!("id={id}"))
            .await,
    );
    let deliveries = page["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 3);
    assert!(deliveries
        .iter()
        .all(|d| d["state"] == "Delivered" && d["status"] == 200));
    assert_eq!(deliveries[2]["attempts"], 2);
}

#[tokio::test]
async fn rotation_signs_with_both_secrets_then_resend_and_test_events_reach_only_that_endpoint() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let (first, second) = (Receiver::start().await, Receiver::start().await);
    let (id, old) = added(&app, &admin, &first.url, &["token.created"]).await;
    added(&app, &admin, &second.url, &["token.created"]).await;
    let rotated = app
        .call("rotate_webhook_secret", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let new = parsed(&rotated)["secret"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    let test = app
        .call("send_test_webhook", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(test.status, StatusCode::OK, "{}", test.body);
    deliver_all(&app, &client(), 1).await;
    let received = first.received();
    assert_eq!(received.len(), 1);
    assert!(signed_by(&received[0], &new) && signed_by(&received[0], &old));
    assert_eq!(received[0].signature.split(' ').count(), 2);
    let body: Value = serde_json::from_str(&received[0].body).unwrap();
    assert_eq!(body["type"], "test");
    assert_eq!(body["data"]["actor"]["name"], "Alex Morgan");
    assert!(second.received().is_empty());

    // Resend: the same message, the same id; refused while it waits.
    let message: i64 = query("SELECT id FROM webhook_messages WHERE endpoint_id = $1")
        .bind(id)
        .scalar(&app.pool)
        .await
        .unwrap();
    let resend = format!("id={id}&message={message}");
    let again = app.call("resend_webhook", Some(&admin), &resend).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let twice = app.call("resend_webhook", Some(&admin), &resend).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    deliver_all(&app, &client(), 1).await;
    let received = first.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].id, received[1].id);
}

#[tokio::test]
async fn disabled_and_deleted_endpoints_get_nothing_and_one_failing_for_three_days_is_disabled() {
    let app = TestApp::with_mail().await;
    let admin = app.sign_in(ADMIN).await;
    let receiver = Receiver::start().await;
    let (id, _) = added(&app, &admin, &receiver.url, &["token.created"]).await;
    let off = app
        .call(
            "set_webhook_enabled",
            Some(&admin),
            &format!("id={id}&enabled=false"),
        )
        .await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.body);
    app.make_token(&admin, "While off").await;
    let test = app
        .call("send_test_webhook", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(test.status, StatusCode::CONFLICT);
    let on = app
        .call(
            "set_webhook_enabled",
            Some(&admin),
            &format!("id={id}&enabled=true"),
        )
        .await;
    assert_eq!(on.status, StatusCode::OK);
    // Failing: retried, then after 3 days given up on and the endpoint disabled.
    receiver.answer(503);
    app.make_token(&admin, "While failing").await;
    let client = client();
    deliver_due(&app.pool, &client, now()).await.unwrap();
    let three_days = 3 * 24 * 3600 + 1;
    query("UPDATE webhook_endpoints SET failing_since = failing_since - $1")
        .bind(three_days)
        .execute(&app.pool)
        .await
        .unwrap();
    query("UPDATE webhook_messages SET created_at = created_at - $1, next_attempt_at = 0")
        .bind(three_days)
        .execute(&app.pool)
        .await
        .unwrap();
    let pass = deliver_due(&app.pool, &client, now()).await.unwrap();
    assert_eq!((pass.failed, pass.disabled), (1, 1));
    let page = parsed(
        &app.call("get_webhook", Some(&admin), &format!("id={id}"))
            .await,
    );
    assert_eq!(page["endpoint"]["enabled"], false);
    assert!(page["endpoint"]["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("3 days"));
    assert_eq!(page["deliveries"][0]["state"], "Failed");
    assert_eq!(page["deliveries"][0]["status"], 503);
    let mailed: i64 = query(
        "SELECT COUNT(*) FROM notifications WHERE recipient = $1 AND subject LIKE '%webhook%'",
    )
    .bind(ADMIN)
    .scalar(&app.pool)
    .await
    .unwrap();
    assert_eq!(mailed, 1);
    let activity: i64 = query(
        "SELECT COUNT(*) FROM audit_events WHERE action = 'webhook_disabled' AND actor_id IS NULL",
    )
    .scalar(&app.pool)
    .await
    .unwrap();
    assert_eq!(activity, 1);
    // Deleted: gone, with its messages.
    let gone = app
        .call("delete_webhook", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(gone.status, StatusCode::OK);
    let page = app
        .call("get_webhook", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let left: i64 = query("SELECT COUNT(*) FROM webhook_messages")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn two_workers_never_attempt_one_endpoint_at_once_and_each_message_goes_once_in_order() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let receiver = Receiver::start().await;
    receiver.pause(40);
    let (id, _) = added(&app, &admin, &receiver.url, &["token.created"]).await;
    for _ in 0..10 {
        let sent = app
            .call("send_test_webhook", Some(&admin), &format!("id={id}"))
            .await;
        assert_eq!(sent.status, StatusCode::OK);
    }
    // Test events waiting for one endpoint are bounded.
    let more = app
        .call("send_test_webhook", Some(&admin), &format!("id={id}"))
        .await;
    assert_eq!(more.status, StatusCode::CONFLICT, "{}", more.body);
    assert!(more.body.contains("10 test events"), "{}", more.body);
    let order: Vec<String> = query("SELECT webhook_id FROM webhook_messages ORDER BY id")
        .scalars::<String>(&app.pool)
        .await
        .unwrap();
    let worker = |app_pool: app::ssr::db::Db| async move {
        let client = client();
        // Until all are delivered (or 20 s): while the other holds the endpoint, a pass
        // finds nothing due and this one waits a moment.
        let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while std::time::Instant::now() < until {
            let pass = deliver_due(&app_pool, &client, now()).await.unwrap();
            if pass.delivered == 0 {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
            let waiting: i64 =
                query("SELECT COUNT(*) FROM webhook_messages WHERE state IN ('queued', 'sending')")
                    .scalar(&app_pool)
                    .await
                    .unwrap();
            if waiting == 0 {
                return;
            }
        }
    };
    tokio::join!(worker(app.pool.clone()), worker(app.pool.clone()));
    let ids: Vec<String> = receiver.received().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, order, "each once, in order");
    assert_eq!(receiver.most_at_once(), 1);
}

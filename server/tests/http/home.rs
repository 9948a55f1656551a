//! Home's **Needs attention**: each item is the token list's own filter, so its count is the
//! list's; the filters find exactly the tokens they name, on both engines.

use super::harness::{names, TestApp, ADMIN, ANALYST};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

const DAY: i64 = 86_400;

async fn set(app: &TestApp, sql: String, sid: &str) {
    query(sql).bind(sid).execute(&app.pool).await.unwrap();
}

async fn home(app: &TestApp, cookie: &str) -> Value {
    let reply = app.call("home", Some(cookie), "").await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn each_item_counts_the_tokens_its_filter_lists() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let now = app::ssr::now();
    let soon = app.make_token(&cookie, "Soon").await;
    let later = app.make_token(&cookie, "Later").await;
    let idle = app.make_token(&cookie, "Idle").await;
    let busy = app.make_token(&cookie, "Busy").await;
    let lapsed = app.make_token(&cookie, "Lapsed").await;
    let orphaned = app.make_token(&cookie, "Orphaned").await;
    let soon_at = format!(
        "UPDATE tokens SET expires_at = {} WHERE sid = $1",
        now + 3 * DAY
    );
    set(&app, soon_at.clone(), &soon.sid).await;
    let later_at = format!(
        "UPDATE tokens SET expires_at = {} WHERE sid = $1",
        now + 8 * DAY
    );
    set(&app, later_at.clone(), &later.sid).await;
    let old = format!(
        "UPDATE tokens SET created_at = {} WHERE sid = $1",
        now - 40 * DAY
    );
    for token in [&idle, &busy, &lapsed] {
        set(&app, old.clone(), &token.sid).await;
    }
    let used = format!(
        "UPDATE tokens SET last_used_at = {} WHERE sid = $1",
        now - DAY
    );
    set(&app, used.clone(), &busy.sid).await;
    let expired = format!(
        "UPDATE tokens SET expires_at = {} WHERE sid = $1",
        now - DAY
    );
    set(&app, expired.clone(), &lapsed.sid).await;
    let analyst = app.user_id(ANALYST).await;
    let contact = format!("UPDATE tokens SET primary_contact_id = {analyst} WHERE sid = $1");
    set(&app, contact.clone(), &orphaned.sid).await;
    query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind(now)
        .bind(analyst)
        .execute(&app.pool)
        .await
        .unwrap();

    for (state, name) in [
        ("ExpiringSoon", "Soon"),
        ("Unused", "Idle"),
        ("ContactDisabled", "Orphaned"),
    ] {
        let list = app.list(&cookie, json!({ "state": state })).await;
        assert_eq!(names(&list), [name], "{state}");
    }

    let home = home(&app, &cookie).await;
    let items = home["attention"].as_array().unwrap();
    let item = |state: &str| {
        items
            .iter()
            .find(|item| item["item"] == state)
            .unwrap_or_else(|| panic!("{state} is on home"))
    };
    for (state, name) in [
        ("ExpiringSoon", "Soon"),
        ("Unused", "Idle"),
        ("ContactDisabled", "Orphaned"),
    ] {
        assert_eq!(item(state)["count"], 1, "{state}");
        assert_eq!(item(state)["tokens"][0][1], name, "{state}");
    }
    assert_eq!(item("NearQuota")["count"], 0);
    assert_eq!(home["pending_requests"], 0);
    let recent = home["recent"].as_array().unwrap();
    assert!(recent.len() <= 10);
    assert_eq!(recent[0]["token"][1], "Orphaned", "the newest event first");

    // The page: each item links to its filtered list, which shows the same tokens.
    let page = app.get("/", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for href in [
        "/settings/api?state=expiring",
        "/settings/api?state=unused",
        "/settings/api?state=contact_disabled",
        "/settings/api?state=near_quota",
        "/settings/api/requests?state=pending",
    ] {
        assert!(page.body.contains(&format!("href=\"{href}\"")), "{href}");
    }
    let unused = app.get("/settings/api?state=unused", Some(&cookie)).await;
    assert!(unused.body.contains("Idle"), "{}", unused.body);
    assert!(!unused.body.contains("Busy"));
}

#[tokio::test]
async fn an_analyst_gets_no_attention_and_no_activity() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ANALYST).await;
    let home = home(&app, &cookie).await;
    assert_eq!(home["attention"], json!([]));
    assert_eq!(home["pending_requests"], Value::Null);
    assert_eq!(home["recent"], Value::Null);
    assert!(!home["token_managers"].as_array().unwrap().is_empty());
}

//! The token page's history and outbox, 50 a page, newest first, with page links in the
//! URL (`?history=2`, `?outbox=2`) that work without JavaScript.

use super::harness::{TestApp, ADMIN};
use http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn history_and_outbox_are_paged() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Busy token").await;
    for n in 0..60 {
        let change = json!({ "SetEnabled": { "enabled": n % 2 == 1 } });
        assert_eq!(
            app.change(&cookie, &token.sid, change).await.status,
            StatusCode::OK
        );
    }
    let first = app.detail(&cookie, &token.sid).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let first: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    // Created, then 60 changes: 61 events.
    assert_eq!(
        first["history_page"],
        json!({ "number": 1, "count": 2, "items": 61 })
    );
    assert_eq!(first["history"].as_array().unwrap().len(), 50);
    let messages = first["outbox_page"]["items"].as_u64().unwrap();
    assert!(
        messages > 50,
        "every change tells the primary contact: {messages}"
    );
    let second = app
        .call_json(
            "get_token",
            Some(&cookie),
            &json!({ "sid": token.sid, "history_page": 2, "outbox_page": 9 }),
        )
        .await;
    let second: serde_json::Value = serde_json::from_str(&second.body).unwrap();
    assert_eq!(second["history"].as_array().unwrap().len(), 11);
    assert_eq!(second["history"][10]["summary"], "Created the token");
    // (The outbox may have grown meanwhile: the mailer summarises held messages.)
    let messages = second["outbox_page"]["items"].as_u64().unwrap();
    let last = messages.div_ceil(50);
    assert_eq!(
        second["outbox_page"]["number"], last,
        "past the end: the last"
    );
    let on_last = second["outbox"].as_array().unwrap().len() as u64;
    assert_eq!(on_last, messages - (last - 1) * 50);

    let page = app
        .get(
            &format!("/settings/api/tokens/{}?history=2", token.sid),
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Showing 51–61 of 61 events"),
        "{}",
        page.body
    );
    let back = format!(r#"href="/settings/api/tokens/{}" rel="prev""#, token.sid);
    assert!(page.body.contains(&back), "{}", page.body);
    let outbox_next = format!(
        r#"href="/settings/api/tokens/{}?history=2&amp;outbox=2" rel="next""#,
        token.sid
    );
    assert!(
        page.body.contains(&outbox_next),
        "the outbox's links keep the history's page"
    );
}

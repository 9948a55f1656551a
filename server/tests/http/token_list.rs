//! The token list's filters, through the server function and through the page's URL.

use super::harness::{names, TestApp, ADMIN};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::json;

async fn three_tokens(app: &TestApp, cookie: &str) {
    app.make_token(cookie, "Feed sync").await;
    let reports = app.make_token(cookie, "Reports export").await;
    let old = app.make_token(cookie, "Legacy feed").await;
    let disable = json!({ "SetEnabled": { "enabled": false } });
    app.change(cookie, &reports.sid, disable).await;
    query("UPDATE tokens SET created_at = created_at - 40 * 86400 WHERE sid = $1")
        .bind(&old.sid)
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn each_filter_alone_and_combined() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    three_tokens(&app, &cookie).await;
    let all = app.list(&cookie, json!({})).await;
    assert_eq!(names(&all), ["Reports export", "Feed sync", "Legacy feed"]);
    let by_name = app.list(&cookie, json!({ "search": "FEED" })).await;
    assert_eq!(names(&by_name), ["Feed sync", "Legacy feed"]);
    let recent = app.list(&cookie, json!({ "created": "Last7Days" })).await;
    assert_eq!(names(&recent), ["Reports export", "Feed sync"]);
    let older = app.list(&cookie, json!({ "created": "Older" })).await;
    assert_eq!(names(&older), ["Legacy feed"]);
    let disabled = app.list(&cookie, json!({ "state": "Disabled" })).await;
    assert_eq!(names(&disabled), ["Reports export"]);
    let combined = app
        .list(
            &cookie,
            json!({ "search": "feed", "created": "Last30Days", "state": "Enabled" }),
        )
        .await;
    assert_eq!(names(&combined), ["Feed sync"]);
    assert_eq!(combined["total"], 3);
    let nothing = app
        .list(&cookie, json!({ "search": "nothing like it" }))
        .await;
    assert_eq!(names(&nothing), Vec::<String>::new());
}

#[tokio::test]
async fn the_page_filters_by_its_url_without_javascript() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    three_tokens(&app, &cookie).await;
    let page = app
        .get(
            "/settings/api?q=feed&created=30d&state=enabled",
            Some(&cookie),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Feed sync"));
    assert!(!page.body.contains("Legacy feed"));
    assert!(!page.body.contains("Reports export"));
    assert!(page.body.contains("Showing 1 of 3 tokens"));
    // The form shows the filters in force.
    assert!(
        page.body.contains(r#"value="feed""#),
        "the search box keeps the search"
    );
    assert!(
        page.body.contains(r#"<option value="30d" selected"#),
        "Created on keeps its choice"
    );
    let empty = app.get("/settings/api?q=zzz", Some(&cookie)).await;
    assert!(empty.body.contains("No tokens match these filters."));
    let odd = app
        .get("/settings/api?created=yesterday&state=on", Some(&cookie))
        .await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(
        odd.body.contains("created=yesterday, state=on"),
        "{}",
        odd.body
    );
    assert!(odd.body.contains("Legacy feed"));
}

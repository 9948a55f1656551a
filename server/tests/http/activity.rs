//! `/settings/activity` and its CSV export through the real router: who may read it, the
//! filters, keyset pages that stay put while events are added, and cells a spreadsheet
//! won't run.

use super::harness::{TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use http::StatusCode;
use serde_json::{json, Value};

async fn activity(app: &TestApp, cookie: &str, filter: Value, direction: Value) -> Value {
    let body = json!({ "filter": filter, "direction": direction });
    let reply = app.call_json("list_activity", Some(cookie), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn summaries(view: &Value) -> Vec<String> {
    view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["summary"].as_str().unwrap().to_string())
        .collect()
}

fn times(view: &Value) -> Vec<String> {
    view["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].to_string())
        .collect()
}

#[tokio::test]
async fn only_administrators_and_specialists_read_the_activity() {
    let app = TestApp::new().await;
    for (email, allowed) in [
        (ADMIN, true),
        (SPECIALIST, true),
        (ANALYST, false),
        (FINANCE, false),
    ] {
        let cookie = app.sign_in(email).await;
        let expected = if allowed {
            StatusCode::OK
        } else {
            StatusCode::FORBIDDEN
        };
        let page = app.get("/settings/activity", Some(&cookie)).await;
        assert_eq!(page.status, expected, "page as {email}");
        let export = app
            .get("/settings/activity/export.csv", Some(&cookie))
            .await;
        assert_eq!(export.status, expected, "export as {email}");
        let body = json!({ "filter": {}, "direction": null });
        let call = app.call_json("list_activity", Some(&cookie), &body).await;
        assert_eq!(call.status, expected, "list as {email}");
    }
    let page = app.get("/settings/activity", None).await;
    assert_eq!(page.header("location"), "/login");
    let export = app.get("/settings/activity/export.csv", None).await;
    assert_eq!(export.status, StatusCode::SEE_OTHER);
    assert_eq!(export.header("location"), "/login");
    let body = json!({ "filter": {}, "direction": null });
    let call = app.call_json("list_activity", None, &body).await;
    assert_eq!(call.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_kind_of_event_is_listed_and_the_filters_narrow_it() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let specialist = app.sign_in(SPECIALIST).await;
    app.set_api_access(&admin, true).await;
    let made = app.make_token(&specialist, "Feed sync").await;
    let body =
        json!({ "user": { "email": "new@acme.test", "name": "New Person", "role": "finance" } });
    assert_eq!(
        app.call_json("add_user", Some(&admin), &body).await.status,
        StatusCode::OK
    );

    let all = activity(&app, &admin, json!({}), Value::Null).await;
    assert_eq!(
        summaries(&all),
        [
            "Added a user",
            "Created the token",
            "Turned the account's API access on"
        ]
    );
    assert_eq!(all["events"][0]["actor"], "Alex Morgan");
    assert!(all["events"][0]["lines"][0]
        .as_str()
        .unwrap()
        .contains("New Person <new@acme.test>"));
    assert_eq!(all["events"][1]["token"][0], made.sid);
    assert!(all["older"].is_null() && all["newer"].is_null());

    let by_token = activity(&app, &admin, json!({ "token": made.sid }), Value::Null).await;
    assert_eq!(summaries(&by_token), ["Created the token"]);
    let specialist_id = app.user_id(SPECIALIST).await;
    let by_actor = activity(&app, &admin, json!({ "actor": specialist_id }), Value::Null).await;
    assert_eq!(summaries(&by_actor), ["Created the token"]);
    let by_action = activity(&app, &admin, json!({ "action": "UserAdded" }), Value::Null).await;
    assert_eq!(summaries(&by_action), ["Added a user"]);
    let future = activity(&app, &admin, json!({ "from": "2999-01-01" }), Value::Null).await;
    assert!(summaries(&future).is_empty());
    // Yesterday to today (UTC): the events of seconds ago, even across midnight.
    let now = app::ssr::now();
    let today = app::domain::expiration::format_date(now);
    let yesterday = app::domain::expiration::format_date(now - 86_400);
    let range = json!({ "from": yesterday, "to": today });
    assert_eq!(
        summaries(&activity(&app, &admin, range, Value::Null).await).len(),
        3
    );

    // The page renders the same, from the URL, and reports what it can't read.
    let page = app
        .get(
            &format!("/settings/activity?token={}&action=nope", made.sid),
            Some(&admin),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<td>Created the token<!></td>"));
    assert!(!page.body.contains("<td>Added a user<!></td>"));
    assert!(
        page.body
            .contains("Ignored a filter this page can&#x27;t read: action=nope.")
            || page
                .body
                .contains("Ignored a filter this page can't read: action=nope.")
    );
}

#[tokio::test]
async fn pages_are_keyset_pages_that_stay_put_while_events_are_added() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    for i in 0..120 {
        app.set_api_access(&admin, i % 2 == 0).await;
    }
    let first = activity(&app, &admin, json!({}), Value::Null).await;
    assert_eq!(first["events"].as_array().unwrap().len(), 50);
    assert!(first["newer"].is_null());
    // Ten more events while the reader is on the first page.
    for i in 0..10 {
        app.set_api_access(&admin, i % 2 == 0).await;
    }
    let mut seen = times(&first);
    let mut next = first["older"].clone();
    let mut pages = 1;
    let mut second = Value::Null;
    while !next.is_null() {
        let page = activity(&app, &admin, json!({}), next).await;
        if pages == 1 {
            second = page.clone();
        }
        seen.extend(times(&page));
        next = page["older"].clone();
        pages += 1;
    }
    assert_eq!(pages, 3);
    // Every one of the first 120 events exactly once, none of the 10 added meanwhile.
    assert_eq!(seen.len(), 120);
    let ids: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(ids.len(), 120);
    // Newer from the second page shows the first page's events again, and beyond them
    // the ten new ones are newer still.
    let back = activity(&app, &admin, json!({}), second["newer"].clone()).await;
    assert_eq!(times(&back), times(&first));
    assert!(!back["newer"].is_null());
}

#[tokio::test]
async fn the_export_is_csv_with_quoted_cells_that_never_run_as_formulas() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let risky = app.make_token(&admin, "=cmd|' /C calc'!A0").await;
    let quoted = app.make_token(&admin, "Feed, \"daily\"").await;
    let semicolon = app.make_token(&admin, "x;=cmd|' /C calc'!A0").await;
    let reply = app
        .get("/settings/activity/export.csv?action=created", Some(&admin))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), "text/csv; charset=utf-8");
    assert!(reply
        .header("content-disposition")
        .starts_with("attachment; filename=\"tokensmith-activity-AC"));
    let lines: Vec<&str> = reply.body.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "time_utc,actor,action,summary,token_sid,token_name,details"
    );
    assert_eq!(lines.len(), 5, "{}", reply.body);
    // A semicolon (the separator of some locales) is quoted: the formula stays inside.
    assert!(lines[1].contains(&format!(",{},\"x;=cmd|' /C calc'!A0\",", semicolon.sid)));
    assert!(lines[2].contains(&format!(",{},\"Feed, \"\"daily\"\"\",", quoted.sid)));
    assert!(lines[3].contains(&format!(",{},'=cmd|' /C calc'!A0,", risky.sid)));
    assert!(
        lines[1].starts_with("20") && lines[1].contains(",Alex Morgan,created,Created the token,")
    );
    assert_eq!(lines[4], "");
    // A filter it can't read is a 400 with the reason, not a silently wider export.
    let bad = app
        .get("/settings/activity/export.csv?from=someday", Some(&admin))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("from=someday"));
}

/// An export that can't finish before the response's deadline ends in good order with a
/// last line that says it is incomplete, instead of a file silently cut mid-row.
#[tokio::test]
async fn an_export_out_of_time_says_so_on_its_last_line() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.make_token(&admin, "Logged").await;
    let mut request = http::Request::get("/settings/activity/export.csv")
        .header(http::header::HOST, super::harness::HOST)
        .header(http::header::COOKIE, &admin)
        .body(axum::body::Body::empty())
        .unwrap();
    // Two seconds left: the export's own margin, so it stops before reading anything.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
    request
        .extensions_mut()
        .insert(server::http::deadline::Deadline(deadline));
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::OK);
    let lines: Vec<&str> = reply.body.split("\r\n").collect();
    assert_eq!(lines.len(), 3, "{}", reply.body);
    assert!(lines[1].starts_with("EXPORT INCOMPLETE,,,"), "{}", lines[1]);
    assert!(lines[1].contains("stopped after 0 events"), "{}", lines[1]);
    // With time enough, the same export is whole and has no such line.
    let whole = app.get("/settings/activity/export.csv", Some(&admin)).await;
    assert!(!whole.body.contains("EXPORT INCOMPLETE"));
    assert!(whole.body.lines().count() > 1);
}

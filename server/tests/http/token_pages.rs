//! The token list a page at a time: 50 a page, newest first, counted and filtered in SQL,
//! page links in the URL that work without JavaScript.

use super::harness::{names, TestApp, ADMIN};
use app::ssr::db::engine::query;
use app::ssr::db::{self, tokens, Db};
use http::StatusCode;
use serde_json::json;

/// Stores `count` tokens named "Token 1" (oldest) … "Token {count}" for ADMIN's account,
/// straight into the database: the list is what is tested here, not creation.
async fn many_tokens(app: &TestApp, count: i64) {
    let (user, account): (i64, i64) = query("SELECT id, account_id FROM users WHERE email = $1")
        .bind(ADMIN)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    for n in 1..=count {
        let name = format!("Token {n}");
        query(
            "INSERT INTO tokens (account_id, sid, name, name_folded, api_version, secret_hash,
                                 secret_last4, primary_contact_id, created_by, created_at,
                                 updated_at, secret_issued_at)
             VALUES ($1, $2, $3, $4, 14, $5, 'abcd', $6, $6, $7, $7, $7)",
        )
        .bind(account)
        .bind(format!("TK{n:032x}"))
        .bind(name.as_str())
        .bind(name.to_lowercase())
        .bind(n.to_be_bytes().to_vec())
        .bind(user)
        .bind(1_700_000_000 + n)
        .execute(&app.pool)
        .await
        .unwrap();
    }
}

async fn page(
    app: &TestApp,
    cookie: &str,
    filter: serde_json::Value,
    page: u32,
) -> serde_json::Value {
    let reply = app
        .call_json(
            "list_tokens",
            Some(cookie),
            &json!({ "filter": filter, "page": page }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[tokio::test]
async fn fifty_a_page_newest_first_and_past_the_end_is_the_last() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    many_tokens(&app, 120).await;
    // Without a page: the first.
    let first = app.list(&cookie, json!({})).await;
    let shown = names(&first);
    assert_eq!(shown.len(), 50);
    assert_eq!(
        (shown[0].as_str(), shown[49].as_str()),
        ("Token 120", "Token 71")
    );
    assert_eq!(first["total"], 120);
    assert_eq!(
        first["page"],
        json!({ "number": 1, "count": 3, "items": 120 })
    );
    let second = page(&app, &cookie, json!({}), 2).await;
    assert_eq!(names(&second)[0], "Token 70");
    let last = page(&app, &cookie, json!({}), 3).await;
    assert_eq!(names(&last).len(), 20);
    assert_eq!(names(&last)[19], "Token 1");
    let beyond = page(&app, &cookie, json!({}), 4_000_000_000).await;
    assert_eq!(beyond["page"]["number"], 3);
    assert_eq!(names(&beyond), names(&last));
    // Filters count and page over the matching tokens only: "Token 1", "Token 10"–"19",
    // "Token 100"–"120".
    let ones = page(&app, &cookie, json!({ "search": "token 1" }), 1).await;
    assert_eq!(
        ones["page"],
        json!({ "number": 1, "count": 1, "items": 32 })
    );
    assert_eq!(ones["total"], 120);
}

#[tokio::test]
async fn search_folds_unicode_case_and_takes_wildcards_literally() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    app.make_token(&cookie, "ÄRGER Feed").await;
    app.make_token(&cookie, "50% off").await;
    app.make_token(&cookie, "snake_case").await;
    app.make_token(&cookie, "Plain").await;
    assert_eq!(found(&app, &cookie, "ärger").await, ["ÄRGER Feed"]);
    assert_eq!(found(&app, &cookie, "%").await, ["50% off"]);
    assert_eq!(found(&app, &cookie, "_").await, ["snake_case"]);
    assert_eq!(found(&app, &cookie, "").await.len(), 4);
    // A rename is searched under its new name.
    let plain = app.make_token(&cookie, "Öl pipeline").await;
    let rename = json!({ "Overview": { "name": "Ümlaut pipeline", "description": "" } });
    app.change(&cookie, &plain.sid, rename).await;
    assert_eq!(found(&app, &cookie, "ümlaut").await, ["Ümlaut pipeline"]);
    assert!(found(&app, &cookie, "öl").await.is_empty());
}

async fn found(app: &TestApp, cookie: &str, search: &str) -> Vec<String> {
    names(&app.list(cookie, json!({ "search": search })).await)
}

#[tokio::test]
async fn pages_are_links_in_the_url_without_javascript() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    many_tokens(&app, 120).await;
    let second = app.get("/settings/api?page=2", Some(&cookie)).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(
        second.body.contains("Showing 51–100 of 120 tokens"),
        "{}",
        second.body
    );
    assert!(second.body.contains("Page 2 of 3"));
    assert!(second.body.contains("Token 70") && !second.body.contains("Token 71<"));
    assert!(second
        .body
        .contains(r#"href="/settings/api?page=3" rel="next""#));
    assert!(second.body.contains(r#"href="/settings/api" rel="prev""#));
    let filtered = app
        .get("/settings/api?q=token+1&page=1", Some(&cookie))
        .await;
    assert!(filtered.body.contains("Showing 32 of 120 tokens"));
    assert!(
        !filtered.body.contains("Page 1 of"),
        "one page needs no pager"
    );
    let odd = app.get("/settings/api?page=two", Some(&cookie)).await;
    assert_eq!(odd.status, StatusCode::OK);
    assert!(
        odd.body.contains("page=two"),
        "the ignored page is reported"
    );
    assert!(odd.body.contains("Token 120"));
    let far = app.get("/settings/api?page=9", Some(&cookie)).await;
    assert!(far
        .body
        .contains("There is no page 9: this is the last page, 3."));
    assert!(far.body.contains("Token 1<"));
}

#[tokio::test]
async fn older_tokens_get_their_folded_name_at_start_up() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let made = app.make_token(&cookie, "Überweisung Feed").await;
    query("UPDATE tokens SET name_folded = NULL WHERE sid = $1")
        .bind(&made.sid)
        .execute(&app.pool)
        .await
        .unwrap();
    assert!(names(&app.list(&cookie, json!({ "search": "über" })).await).is_empty());
    db::migrate(&app.pool).await.unwrap();
    let found = app.list(&cookie, json!({ "search": "über" })).await;
    assert_eq!(names(&found), ["Überweisung Feed"]);
}

/// The list's count and page read the account's live tokens from the index alone, in the
/// list's order: no table scan and no sort of the account; only the page's own 50 rows are
/// read from the table, joined and (as the last step) put back in order.
#[tokio::test]
async fn the_list_reads_the_index_alone() {
    let app = TestApp::new().await;
    if let Db::Postgres(pool, _) = &app.pool {
        return postgres_can_read_the_index_alone(pool).await;
    }
    for (sql, binds) in [
        (tokens::page_sql().to_string(), 8),
        (tokens::count_sql().to_string(), 6),
        (tokens::count_each_sql(&home_states()), 2),
    ] {
        let mut explain = query(format!("EXPLAIN QUERY PLAN {sql}"));
        for n in 1..=binds {
            explain = match n {
                2 if binds != 2 => explain.bind("%%"),
                3..=5 => explain.bind(None::<i64>),
                _ => explain.bind(1_i64),
            };
        }
        let plan: Vec<(i64, i64, i64, String)> = explain.fetch_all(&app.pool).await.unwrap();
        let steps: Vec<String> = plan.into_iter().map(|row| row.3).collect();
        let plan = steps.join("\n");
        assert!(
            plan.contains("SEARCH t USING COVERING INDEX tokens_live_newest (account_id=?)"),
            "{plan}"
        );
        assert!(
            !steps.iter().any(|step| step.starts_with("SCAN t")),
            "{plan}"
        );
        let sorts = steps
            .iter()
            .filter(|step| step.contains("TEMP B-TREE"))
            .count();
        let page_sort =
            usize::from(binds == 8 && steps.last().is_some_and(|s| s.contains("TEMP B-TREE")));
        assert_eq!(sorts, page_sort, "only the page's rows are sorted: {plan}");
    }
}

/// The states home counts in one pass.
fn home_states() -> [&'static str; 4] {
    app::domain::attention::ITEMS.map(|item| item.matches().unwrap())
}

/// PostgreSQL's planner is costed, so a few demo rows are read by a scan: with scans made
/// too dear to choose, the plan shows the index can serve the account's tokens alone.
async fn postgres_can_read_the_index_alone(pool: &sqlx::PgPool) {
    let mut connection = pool.acquire().await.unwrap();
    sqlx::query("SET enable_seqscan = off")
        .execute(&mut *connection)
        .await
        .unwrap();
    for (sql, binds) in [
        (tokens::page_sql().to_string(), 8),
        (tokens::count_sql().to_string(), 6),
        (tokens::count_each_sql(&home_states()), 2),
    ] {
        let sql = format!("EXPLAIN {sql}");
        let mut explain = sqlx::query_scalar::<_, String>(&sql);
        for n in 1..=binds {
            explain = match n {
                2 if binds != 2 => explain.bind("%%"),
                3 | 4 => explain.bind(None::<i64>),
                5 => explain.bind(None::<String>),
                _ => explain.bind(1_i64),
            };
        }
        let plan = explain
            .fetch_all(&mut *connection)
            .await
            .unwrap()
            .join("\n");
        // Each step without its indent and arrow.
        let steps: Vec<&str> = plan
            .lines()
            .map(|line| line.trim_start().trim_start_matches("->").trim_start())
            .collect();
        let scan = steps
            .iter()
            .position(|step| {
                step.starts_with("Index Only Scan using tokens_live_newest on tokens t")
            })
            .unwrap_or_else(|| panic!("the index alone is read: {plan}"));
        assert!(
            steps
                .get(scan + 1)
                .is_some_and(|step| step.starts_with("Index Cond: (account_id = ")),
            "the index seeks the account's tokens, it isn't read whole: {plan}"
        );
        assert!(!plan.contains("Seq Scan on tokens"), "{plan}");
        let sorts = steps
            .iter()
            .filter(|step| step.starts_with("Sort Key:"))
            .count();
        let page_sort = usize::from(binds == 8 && plan.starts_with("Sort "));
        assert_eq!(sorts, page_sort, "only the page's rows are sorted: {plan}");
    }
    sqlx::query("RESET enable_seqscan")
        .execute(&mut *connection)
        .await
        .unwrap();
}

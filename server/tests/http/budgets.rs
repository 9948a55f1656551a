//! Shared budgets through the real router: created by an administrator, tokens attached on
//! their page, calls of several tokens drawing on one budget (the tighter limit refuses),
//! changes reaching the very next call, and who may do what.

use super::harness::{basic, error_fields, Reply, TestApp, ADMIN, ANALYST, SPECIALIST};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

fn budget_form(name: &str, rate: (&str, &str), quota: (&str, &str)) -> String {
    format!(
        "name={name}&rate_requests={}&rate_per={}&quota_calls={}&quota_refill={}",
        rate.0, rate.1, quota.0, quota.1
    )
}

async fn budgets(app: &TestApp, cookie: &str) -> Value {
    let reply = app
        .call_json("list_budgets", Some(cookie), &json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Creates a budget as `cookie`; its id.
async fn create(app: &TestApp, cookie: &str, form: &str) -> i64 {
    let reply = app.call("create_budget", Some(cookie), form).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let name = form.split('&').next().unwrap().trim_start_matches("name=");
    budgets(app, cookie).await["budgets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name.replace('+', " "))
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn own(rate: &str, quota: &str) -> Value {
    json!({ "rate_requests": rate, "rate_per": "minute", "quota_calls": quota, "quota_refill": "none" })
}

async fn attach(
    app: &TestApp,
    cookie: &str,
    sid: &str,
    budget: Option<i64>,
    limits: Value,
) -> Reply {
    let change = json!({ "Limits": { "limits": limits, "budget": budget } });
    app.change(cookie, sid, change).await
}

async fn call(app: &TestApp, authorization: &str) -> Reply {
    let account = app.account_sid().await;
    app.api(
        "GET",
        &format!("/Advertisers/{account}/Reports"),
        Some(authorization),
        &[],
        "",
    )
    .await
}

fn violated(reply: &Reply) -> Value {
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    body["violated-policies"].clone()
}

#[tokio::test]
async fn two_tokens_on_one_budget_spend_its_quota_together() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let budget = create(
        &app,
        &admin,
        &budget_form("Agency+A", ("", "minute"), ("5", "none")),
    )
    .await;
    let (a, b) = (
        app.make_token(&admin, "Agency feed").await,
        app.make_token(&admin, "Agency reports").await,
    );
    // The specialist manages tokens: they may put one on a budget.
    let specialist = app.sign_in(SPECIALIST).await;
    for (cookie, sid) in [(&admin, &a.sid), (&specialist, &b.sid)] {
        let reply = attach(&app, cookie, sid, Some(budget), own("", "")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let (a_auth, b_auth) = (basic(&a.sid, &a.secret), basic(&b.sid, &b.secret));
    for _ in 0..3 {
        let reply = call(&app, &a_auth).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert!(reply
            .header("ratelimit-policy")
            .contains(r#""budget-quota";q=5"#));
    }
    for _ in 0..2 {
        assert_eq!(call(&app, &b_auth).await.status, StatusCode::OK);
    }
    let refused = call(&app, &b_auth).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(violated(&refused), json!(["budget-quota"]));
    assert!(
        refused
            .body
            .contains(r#"The budget \"Agency A\"'s quota of 5 calls in all is spent"#),
        "{}",
        refused.body
    );
    assert_eq!(call(&app, &a_auth).await.status, StatusCode::FORBIDDEN);

    // The page lists both tokens on it and what is left.
    app.api.quotas.report(&app.pool).await;
    let listed = budgets(&app, &admin).await;
    let shown = &listed["budgets"][0];
    assert_eq!(shown["tokens"].as_array().unwrap().len(), 2);
    assert_eq!(shown["quota_use"]["spent"], 5);
    assert_eq!(listed["can_manage"], true);
    let page = app.get("/settings/api/budgets", Some(&admin)).await;
    assert!(page.body.contains("Agency feed") && page.body.contains("Agency reports"));
    assert!(page.body.contains("0 of 5 calls"), "{}", page.body);

    // Raised, the very next call goes through; deleted, the tokens draw on nothing.
    let raise =
        format!("id={budget}&rate_requests=&rate_per=minute&quota_calls=6&quota_refill=none");
    let raised = app.call("update_budget", Some(&admin), &raise).await;
    assert_eq!(raised.status, StatusCode::OK, "{}", raised.body);
    assert_eq!(call(&app, &a_auth).await.status, StatusCode::OK);
    assert_eq!(call(&app, &b_auth).await.status, StatusCode::FORBIDDEN);
    let gone = app
        .call("delete_budget", Some(&admin), &format!("id={budget}"))
        .await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.body);
    let free = call(&app, &b_auth).await;
    assert_eq!(free.status, StatusCode::OK);
    assert!(free.headers.get("ratelimit-policy").is_none());
    let actions: Vec<String> =
        query("SELECT action FROM audit_events WHERE action LIKE 'budget_%' ORDER BY id")
            .scalars(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        actions,
        ["budget_created", "budget_changed", "budget_deleted"]
    );
}

#[tokio::test]
async fn the_tighter_of_a_token_and_its_budget_refuses() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let budget = create(
        &app,
        &admin,
        &budget_form("Pace", ("3", "minute"), ("", "none")),
    )
    .await;
    let a = app.make_token(&admin, "Paced").await;
    // Its own quota of 2 is tighter than the budget's rate for now.
    let reply = attach(&app, &admin, &a.sid, Some(budget), own("", "2")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let auth = basic(&a.sid, &a.secret);
    for _ in 0..2 {
        let reply = call(&app, &auth).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    }
    let own_quota = call(&app, &auth).await;
    assert_eq!(violated(&own_quota), json!(["quota"]));
    // Its own quota raised: now the budget's rate (3 a minute, 3 counted) refuses.
    let reply = attach(&app, &admin, &a.sid, Some(budget), own("", "100")).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let budget_rate = call(&app, &auth).await;
    assert_eq!(
        budget_rate.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        budget_rate.body
    );
    assert_eq!(violated(&budget_rate), json!(["budget-rate"]));
    assert!(budget_rate
        .header("ratelimit")
        .contains(r#""budget-rate";r=0"#));
}

#[tokio::test]
async fn only_administrators_manage_budgets_and_only_their_own_are_attached() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let form = budget_form("Agency", ("", "minute"), ("100", "monthly"));
    for email in [SPECIALIST, ANALYST] {
        let cookie = app.sign_in(email).await;
        let refused = app.call("create_budget", Some(&cookie), &form).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{email}: {}",
            refused.body
        );
    }
    assert_eq!(
        app.call("create_budget", None, &form).await.status,
        StatusCode::UNAUTHORIZED
    );
    let analyst = app.sign_in(ANALYST).await;
    let listed = app
        .call_json("list_budgets", Some(&analyst), &json!({}))
        .await;
    assert_eq!(listed.status, StatusCode::FORBIDDEN);

    // Bad forms: a clear 400, nothing stored.
    for bad in [
        budget_form("", ("", "minute"), ("100", "monthly")),
        budget_form("No limits", ("", "minute"), ("", "monthly")),
        budget_form("Odd", ("5", "fortnight"), ("", "monthly")),
    ] {
        let reply = app.call("create_budget", Some(&admin), &bad).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{bad}: {}",
            reply.body
        );
    }
    let budget = create(&app, &admin, &form).await;
    let twice = app.call("create_budget", Some(&admin), &form).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    for id in ["x", "999999"] {
        let reply = app
            .call("delete_budget", Some(&admin), &format!("id={id}"))
            .await;
        assert!(
            matches!(reply.status.as_u16(), 400 | 404),
            "{id}: {}",
            reply.body
        );
    }

    // Another account's budget can't be chosen.
    let token = app.make_token(&admin, "Mine").await;
    let reply = attach(&app, &admin, &token.sid, Some(budget + 1000), own("", "")).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(error_fields(&reply.body), ["Budget"]);
    let stored: Option<i64> = query("SELECT budget_id FROM tokens WHERE sid = $1")
        .bind(token.sid.as_str())
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, None);
}

/// 64 calls at once from two tokens on one budget of 40: exactly 40 allowed, however they
/// interleave.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_calls_of_two_tokens_never_spend_more_than_their_budget() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let admin = app.sign_in(ADMIN).await;
    app.set_api_access(&admin, true).await;
    let budget = create(
        &app,
        &admin,
        &budget_form("Shared", ("", "minute"), ("40", "monthly")),
    )
    .await;
    let mut auths = Vec::new();
    for name in ["One", "Two"] {
        let token = app.make_token(&admin, name).await;
        let reply = attach(&app, &admin, &token.sid, Some(budget), own("", "")).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        auths.push(basic(&token.sid, &token.secret));
    }
    let tasks: Vec<_> = (0..64)
        .map(|i| {
            let (app, auth) = (app.clone(), auths[i % 2].clone());
            tokio::spawn(async move { call(&app, &auth).await.status })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        match task.await.unwrap() {
            StatusCode::OK => allowed += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("{other}"),
        }
    }
    assert_eq!(allowed, 40);
}

//! `create_token`: the wizard's **Create**.

use super::harness::{TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use app::ssr::db::engine::{query, Engine};
use http::StatusCode;
use serde_json::{json, Value};

async fn draft(app: &TestApp) -> Value {
    let overrides = json!({
        "description": "Nightly export to the warehouse",
        "api_version": 14,
        "developer_emails": ["dev@partner.test", "ops@partner.test"],
        "scopes": ["reports:get", "actions:get", "actions:delete"],
    });
    app.review_draft("Reporting sync", overrides).await
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    json!({ "draft": base })
}

fn fields(reply_body: &str) -> Vec<String> {
    let error: Value = serde_json::from_str(reply_body).unwrap();
    let list = error
        .get("Validation")
        .or_else(|| error.get("FieldConflict"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    list.iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn creates_a_token_and_shows_the_secret_once() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(SPECIALIST).await;
    let body = json!({ "draft": draft(&app).await });
    let reply = app.call_json("create_token", Some(&cookie), &body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.header("cache-control"), "no-store");
    let created: Value = serde_json::from_str(&reply.body).unwrap();
    let sid = created["sid"].as_str().unwrap();
    let secret = created["secret"].as_str().unwrap();
    assert!(sid.starts_with("TS") && sid.len() == 34, "{sid}");
    assert!(app::domain::TokenSecret::parse(secret).is_ok(), "{secret}");

    let (name, version, last4): (String, i64, String) =
        query("SELECT name, api_version, secret_last4 FROM tokens WHERE sid = $1")
            .bind(sid)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((name.as_str(), version), ("Reporting sync", 14));
    assert_eq!(last4, &secret[secret.len() - 4..]);
    let scopes: Vec<String> = query("SELECT scope FROM token_scopes ORDER BY scope")
        .scalars(&app.pool)
        .await
        .unwrap();
    assert_eq!(scopes, ["actions:delete", "actions:get", "reports:get"]);
    let audit: Vec<String> = query("SELECT action FROM audit_events")
        .scalars(&app.pool)
        .await
        .unwrap();
    assert_eq!(audit, ["created"]);
    let recipients: Vec<String> = query("SELECT recipient FROM notifications ORDER BY id")
        .scalars(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        recipients,
        ["admin@acme.test", "dev@partner.test", "ops@partner.test"]
    );

    // The list shows the card, without the secret.
    let list = app
        .call_json("list_tokens", Some(&cookie), &json!({ "filter": {} }))
        .await;
    assert!(list.body.contains("Reporting sync"));
    assert!(list.body.contains(r#""scope_count":3"#));
    assert!(!list.body.contains(secret));
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert!(page.body.contains("Reporting sync"));
    assert!(!page.body.contains(secret));
}

#[tokio::test]
async fn no_column_of_the_database_holds_the_secret() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let reply = app
        .call_json(
            "create_token",
            Some(&cookie),
            &json!({ "draft": draft(&app).await }),
        )
        .await;
    let created: Value = serde_json::from_str(&reply.body).unwrap();
    let secret = created["secret"].as_str().unwrap().to_string();
    let random_part = &secret[4..34];
    // Every column of every table, from the engine's own catalogue.
    let columns: Vec<(String, String)> = match app.pool.engine() {
        Engine::Sqlite => query(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        ),
        Engine::Postgres => query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public'",
        ),
    }
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert!(columns.len() > 20, "{columns:?}");
    {
        for (table, column) in columns {
            let hits: i64 = query(format!(
                "SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE '%' || $1 || '%'"
            ))
            .bind(random_part)
            .scalar(&app.pool)
            .await
            .unwrap();
            assert_eq!(hits, 0, "{table}.{column} holds the secret");
        }
    }
}

#[tokio::test]
async fn each_validation_error_is_422_on_its_field() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let base = draft(&app).await;
    let eleven: Vec<String> = (0..11).map(|i| format!("d{i}@partner.test")).collect();
    let cases = [
        ("name", json!("ab"), "TokenName"),
        ("name", json!("   "), "TokenName"),
        ("name", json!("x".repeat(65)), "TokenName"),
        ("description", json!("d".repeat(501)), "Description"),
        ("api_version", json!(10), "ApiVersion"),
        ("api_version", json!(15), "ApiVersion"),
        ("primary_contact", Value::Null, "PrimaryContact"),
        ("primary_contact", json!(999_999), "PrimaryContact"),
        (
            "developer_emails",
            json!(["not-an-email"]),
            "DeveloperEmails",
        ),
        (
            "developer_emails",
            json!(["a@b.io", "A@B.io"]),
            "DeveloperEmails",
        ),
        ("developer_emails", json!(eleven), "DeveloperEmails"),
        ("scopes", json!([]), "Scopes"),
        ("scopes", json!(["actions:post"]), "Scopes"),
        ("scopes", json!(["nope:get"]), "Scopes"),
    ];
    for (key, value, field) in cases {
        let body = with(base.clone(), key, value.clone());
        let reply = app.call_json("create_token", Some(&cookie), &body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{key}={value}: {}",
            reply.body
        );
        assert_eq!(fields(&reply.body), [field], "{key}={value}");
    }
    let count: i64 = query("SELECT COUNT(*) FROM tokens")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was stored");
}

#[tokio::test]
async fn a_duplicate_name_is_409_whatever_the_case() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let base = draft(&app).await;
    let first = app
        .call_json(
            "create_token",
            Some(&cookie),
            &json!({ "draft": base.clone() }),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK);
    for name in ["Reporting sync", "REPORTING SYNC", "  reporting sync "] {
        let reply = app
            .call_json(
                "create_token",
                Some(&cookie),
                &with(base.clone(), "name", json!(name)),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{name:?}");
        assert_eq!(fields(&reply.body), ["TokenName"]);
        assert!(reply
            .body
            .contains("A token with this name already exists. Choose another name."));
    }
    // Case is ASCII case on both engines: letters beyond ASCII are compared as typed.
    for name in ["Émile feed", "émile feed"] {
        let reply = app
            .call_json(
                "create_token",
                Some(&cookie),
                &with(base.clone(), "name", json!(name)),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{name:?}: {}", reply.body);
    }
    let again = app
        .call_json(
            "create_token",
            Some(&cookie),
            &with(base.clone(), "name", json!("ÉMILE FEED")),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
}

#[tokio::test]
async fn analyst_and_finance_get_403() {
    let app = TestApp::new().await;
    for email in [ANALYST, FINANCE] {
        let cookie = app.sign_in(email).await;
        let body = json!({ "draft": draft(&app).await });
        let reply = app.call_json("create_token", Some(&cookie), &body).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{email}");
        let contacts = app.call("list_contacts", Some(&cookie), "").await;
        assert_eq!(contacts.status, StatusCode::FORBIDDEN, "{email}");
        let page = app.get("/settings/api/tokens/new", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
    }
}

#[tokio::test]
async fn a_cross_site_create_is_refused() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let body = json!({ "draft": draft(&app).await }).to_string();
    let reply = app
        .post_with(
            "/api/create_token",
            Some(&cookie),
            &body,
            &[
                ("sec-fetch-site", "cross-site"),
                ("content-type", "application/json"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn oversized_or_malformed_input_is_4xx_not_500() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let base = draft(&app).await;
    let huge = app
        .call_json(
            "create_token",
            Some(&cookie),
            &with(base.clone(), "name", json!("n".repeat(100_000))),
        )
        .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    let long = app
        .call_json(
            "create_token",
            Some(&cookie),
            &with(base.clone(), "description", json!("d".repeat(20_000))),
        )
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    for body in [
        json!({}),
        json!({ "draft": "nope" }),
        json!({ "draft": { "step": "Nowhere" } }),
    ] {
        let reply = app.call_json("create_token", Some(&cookie), &body).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn the_wizard_page_offers_the_accounts_users_as_contacts() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let page = app.get("/settings/api/tokens/new", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Token Name"));
    let contacts = app.call("list_contacts", Some(&cookie), "").await;
    assert!(contacts.body.contains("specialist@acme.test"));
    assert!(contacts.body.contains("Casey Kim"));
}

//! The account's **Limits for new tokens** through the real router: set by an Account
//! Administrator (audited), shown to the roles that see the API page, and the ceilings
//! holding every token created or edited to them.

use super::harness::{error_fields, TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use app::ssr::db::engine::query;
use http::StatusCode;
use serde_json::{json, Value};

/// The policy form as the API page posts it.
fn form(defaults: (&str, &str, &str, &str), ceiling: (&str, &str, &str, &str)) -> String {
    format!(
        "default_rate_requests={}&default_rate_per={}&default_quota_calls={}&default_quota_refill={}\
         &max_rate_requests={}&max_rate_per={}&max_quota_calls={}&max_quota_refill={}",
        defaults.0, defaults.1, defaults.2, defaults.3, ceiling.0, ceiling.1, ceiling.2, ceiling.3
    )
}

fn limits(rate: &str, per: &str, calls: &str, refill: &str) -> Value {
    json!({ "rate_requests": rate, "rate_per": per, "quota_calls": calls, "quota_refill": refill })
}

const CEILING: (&str, &str, &str, &str) = ("100", "minute", "10000", "monthly");

#[tokio::test]
async fn ceilings_hold_every_new_and_edited_token() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let made_before = app.make_token(&admin, "Before the policy").await;
    let set = app
        .call(
            "set_limits_policy",
            Some(&admin),
            &form(("1", "second", "300", "daily"), CEILING),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let settings: Value = serde_json::from_str(
        &app.call_json("api_settings", Some(&admin), &json!({}))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(
        settings["limits_policy"]["ceiling"]["rate"],
        json!({ "requests": 100, "per": "Minute" })
    );
    assert_eq!(settings["limits_policy"]["defaults"]["quota"]["calls"], 300);

    // No limits at all: both fields refused, with the ceiling named.
    let create = |name: &'static str, limits: Value| {
        let app = &app;
        let admin = admin.clone();
        async move {
            let draft = app.review_draft(name, json!({ "limits": limits })).await;
            app.call_json("create_token", Some(&admin), &json!({ "draft": draft }))
                .await
        }
    };
    let none = create("Unlimited", limits("", "minute", "", "monthly")).await;
    assert_eq!(
        none.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        none.body
    );
    assert_eq!(error_fields(&none.body), ["RateLimit", "Quota"]);
    assert!(
        none.body.contains("100 requests per minute"),
        "{}",
        none.body
    );
    // 2 a second is 120 a minute: too fast. 300 a day is 9,300 a month at most: fine.
    let fast = create("Fast", limits("2", "second", "300", "daily")).await;
    assert_eq!(error_fields(&fast.body), ["RateLimit"]);
    let within = create("Within", limits("1", "second", "300", "daily")).await;
    assert_eq!(within.status, StatusCode::OK, "{}", within.body);

    // A token made before the policy keeps working, but its limits are held to it when
    // they are edited.
    let over = json!({ "Limits": { "limits": limits("1000", "minute", "5", "none") } });
    let refused = app.change(&admin, &made_before.sid, over).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(error_fields(&refused.body), ["RateLimit"]);
    let fine = json!({ "Limits": { "limits": limits("100", "minute", "5", "none") } });
    assert_eq!(
        app.change(&admin, &made_before.sid, fine).await.status,
        StatusCode::OK
    );

    // The change is on Activity, before and after.
    let detail: String = query(
        "SELECT detail FROM audit_events WHERE action = 'token_policy_changed' ORDER BY id DESC",
    )
    .scalar(&app.pool)
    .await
    .unwrap();
    assert!(detail.contains("Highest rate limit"), "{detail}");
    assert!(detail.contains("100 requests per minute"), "{detail}");
}

#[tokio::test]
async fn only_an_administrator_sets_a_policy_that_reads_and_holds_together() {
    let app = TestApp::new().await;
    let admin = app.sign_in(ADMIN).await;
    let bad = app
        .call(
            "set_limits_policy",
            Some(&admin),
            &form(
                ("ten", "minute", "", "monthly"),
                ("", "minute", "", "monthly"),
            ),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert!(bad.body.contains("Default limits"), "{}", bad.body);
    let above = app
        .call(
            "set_limits_policy",
            Some(&admin),
            &form(("1000", "minute", "", "monthly"), CEILING),
        )
        .await;
    assert_eq!(above.status, StatusCode::BAD_REQUEST, "{}", above.body);
    assert!(
        above.body.contains("at most 100 requests per minute"),
        "{}",
        above.body
    );
    let body = form(("", "minute", "", "monthly"), CEILING);
    for email in [SPECIALIST, ANALYST, FINANCE] {
        let cookie = app.sign_in(email).await;
        let refused = app.call("set_limits_policy", Some(&cookie), &body).await;
        assert_eq!(
            refused.status,
            StatusCode::FORBIDDEN,
            "{email}: {}",
            refused.body
        );
    }
    let nobody = app.call("set_limits_policy", None, &body).await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED, "{}", nobody.body);
    let stored: String = query("SELECT limits_policy FROM accounts WHERE name = 'Acme Outdoor'")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, "{}", "nothing was stored");

    // A ceiling with no default is refused too: the wizard would start above it.
    let set = app.call("set_limits_policy", Some(&admin), &body).await;
    assert_eq!(set.status, StatusCode::BAD_REQUEST, "{}", set.body);

    // The API page shows it: the administrator a form, a specialist the words.
    let set = app
        .call("set_limits_policy", Some(&admin), &form(CEILING, CEILING))
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let page = app.get("/settings/api", Some(&admin)).await;
    assert!(page.body.contains("Limits for new tokens"), "{}", page.body);
    assert!(page.body.contains(r#"name="max_rate_requests""#));
    let specialist = app.sign_in(SPECIALIST).await;
    let page = app.get("/settings/api", Some(&specialist)).await;
    assert!(!page.body.contains(r#"name="max_rate_requests""#));
    assert!(page.body.contains("100 requests per minute"));
}

/// A ceiling set while tokens are being created: every token whose creation committed
/// after the policy's is within it (the policy is read in the creating transaction).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ceiling_set_during_creations_holds_every_token_created_after_it() {
    let app = std::sync::Arc::new(TestApp::new().await);
    let admin = app.sign_in(ADMIN).await;
    let fast = limits("100", "minute", "", "monthly");
    let mut creators = Vec::new();
    for i in 0..16 {
        let (app, admin, fast) = (app.clone(), admin.clone(), fast.clone());
        creators.push(tokio::spawn(async move {
            let draft = app
                .review_draft(&format!("Racer {i}"), json!({ "limits": fast }))
                .await;
            app.call_json("create_token", Some(&admin), &json!({ "draft": draft }))
                .await
                .status
        }));
    }
    let body = form(
        ("10", "minute", "", "monthly"),
        ("10", "minute", "", "monthly"),
    );
    let set = app.call("set_limits_policy", Some(&admin), &body).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    for creator in creators {
        let status = creator.await.unwrap();
        assert!(
            matches!(status.as_u16(), 200 | 422),
            "a clear answer, never a 5xx: {status}"
        );
    }
    let policy_at: i64 = query("SELECT id FROM audit_events WHERE action = 'token_policy_changed'")
        .scalar(&app.pool)
        .await
        .unwrap();
    let after: i64 = query(
        "SELECT COUNT(*) FROM audit_events e JOIN tokens t ON t.id = e.token_id
         WHERE e.action = 'created' AND e.id > $1 AND t.rate_requests > 10",
    )
    .bind(policy_at)
    .scalar(&app.pool)
    .await
    .unwrap();
    assert_eq!(after, 0, "no token past the ceiling was created after it");
}

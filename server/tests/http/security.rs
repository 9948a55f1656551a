//! The middleware: cross-site refusal, security headers, body limit.

use super::harness::{TestApp, ADMIN};
use app::ssr::db::engine::query;
use http::StatusCode;

#[tokio::test]
async fn a_forged_cross_site_post_is_refused() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let forged = [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "https://evil.test")],
    ];
    for headers in forged {
        let reply = app
            .post_with(
                "/api/set_api_access",
                Some(&cookie),
                "enabled=true",
                &headers,
            )
            .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
        let logout = app.post_with("/logout", Some(&cookie), "", &headers).await;
        assert_eq!(logout.status, StatusCode::FORBIDDEN, "{headers:?}");
        for form in [
            "/login/two-factor",
            "/login/two-factor/cancel",
            "/confirm-access",
            "/login/passkeys/options",
            "/login/passkeys/answer",
            "/login/sso",
        ] {
            let body = "code=123456&password=x&next=/";
            let reply = app.post_with(form, Some(&cookie), body, &headers).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{form} {headers:?}");
        }
        let rule = app
            .post_with(
                "/api/set_two_factor_rule",
                Some(&cookie),
                "rule=off",
                &headers,
            )
            .await;
        assert_eq!(rule.status, StatusCode::FORBIDDEN, "{headers:?}");
        let exposure = app
            .post_with(
                "/api/set_exposure_policy",
                Some(&cookie),
                "policy=notify",
                &headers,
            )
            .await;
        assert_eq!(exposure.status, StatusCode::FORBIDDEN, "{headers:?}");
        let limits = app
            .post_with(
                "/api/set_limits_policy",
                Some(&cookie),
                "max_rate_requests=5&max_rate_per=second",
                &headers,
            )
            .await;
        assert_eq!(limits.status, StatusCode::FORBIDDEN, "{headers:?}");
        let budget = app
            .post_with(
                "/api/create_budget",
                Some(&cookie),
                "name=Forged&quota_calls=5&quota_refill=none&rate_per=minute",
                &headers,
            )
            .await;
        assert_eq!(budget.status, StatusCode::FORBIDDEN, "{headers:?}");
        let creation = app
            .post_with(
                "/api/set_token_creation",
                Some(&cookie),
                "creation=needs_approval",
                &headers,
            )
            .await;
        assert_eq!(creation.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    let stored: bool = query("SELECT api_access_enabled FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert!(!stored, "the forged requests changed nothing");
    let policy: String = query("SELECT exposure_policy FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(policy, "revoke", "the forged requests changed nothing");
    let limits: String = query("SELECT limits_policy FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(limits, "{}", "the forged requests changed nothing");
    let budgets: i64 = query("SELECT COUNT(*) FROM budgets")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(budgets, 0, "the forged requests changed nothing");
    let creation: String = query("SELECT token_creation FROM accounts")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(creation, "directly", "the forged requests changed nothing");
    let ceremonies: i64 = query("SELECT COUNT(*) FROM passkey_challenges")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(ceremonies, 0, "no forged passkey ceremony began");

    let same_origin = app
        .post_with(
            "/api/set_api_access",
            Some(&cookie),
            "enabled=true",
            &[("origin", "http://127.0.0.1:3000")],
        )
        .await;
    assert_eq!(same_origin.status, StatusCode::OK);
}

#[tokio::test]
async fn a_cross_site_sign_in_is_refused() {
    let app = TestApp::new().await;
    let reply = app
        .post_with(
            "/login",
            None,
            "email=a&password=b",
            &[("sec-fetch-site", "cross-site")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_oversized_body_is_413() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let body = format!("enabled=true&padding={}", "x".repeat(70 * 1024));
    let reply = app.call("set_api_access", Some(&cookie), &body).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.body.contains("too large"));
    let login = app.post_form("/login", None, &body).await;
    assert_eq!(login.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn every_response_has_the_security_headers() {
    let app = TestApp::new().await;
    let replies = [
        app.get("/login", None).await,
        app.get("/nowhere", None).await,
        app.call("api_settings", None, "").await,
    ];
    for reply in replies {
        assert_eq!(reply.header("x-content-type-options"), "nosniff");
        assert_eq!(reply.header("referrer-policy"), "same-origin");
        assert!(reply
            .header("content-security-policy")
            .contains("frame-ancestors 'none'"));
    }
}

#[tokio::test]
async fn the_page_policy_matches_the_scripts_nonce() {
    let app = TestApp::new().await;
    let page = app.get("/login", None).await;
    let policy = page.header("content-security-policy");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(page.body.contains(&format!(r#"nonce="{nonce}""#)));
    assert!(!policy.contains("unsafe-inline"));
}

//! `POST /login`.

use super::harness::{cookie_from, TestApp, ADMIN, ANALYST, PASSWORD, SPECIALIST};
use app::ssr::db::engine::query;
use http::StatusCode;

const FAILURE: &str = "Email or password is incorrect.";

#[tokio::test]
async fn the_form_is_server_rendered() {
    let app = TestApp::new().await;
    let reply = app.get("/login", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply
        .body
        .contains(r#"<form method="post" action="/login""#));
    assert!(reply.body.contains(r#"name="email""#));
    assert!(reply.body.contains(r#"name="password""#));
    assert!(reply.body.contains("Sign in</button>"));
    assert!(!reply.body.contains(FAILURE));
}

/// Sign-in is a plain form: its page ships no wasm and no script but the passkey button's
/// small `/passkey.js`, a failed attempt's page neither, and the pages after it do.
#[tokio::test]
async fn the_sign_in_page_loads_no_code() {
    let app = TestApp::new().await;
    // (Leptos still appends its few hundred bytes of inline resource data, unused here.)
    let code = ["/pkg/tokensmith.js", "/pkg/tokensmith_bg.wasm"];
    let page = app.get("/login", None).await;
    for text in code {
        assert!(!page.body.contains(text), "{text} in {}", page.body);
    }
    // No script file is fetched while the page loads: the passkey button's is imported
    // after the first paint; the rest is Leptos' inline resource data.
    let files: Vec<&str> = page
        .body
        .split("<script")
        .skip(1)
        .filter_map(|tag| tag.split('>').next())
        .filter(|attributes| attributes.contains("src="))
        .collect();
    assert!(files.is_empty(), "{files:?}");
    let import = r#"requestAnimationFrame(() => setTimeout(painted)));import("/passkey.js");"#;
    assert!(page.body.contains(import), "{}", page.body);
    assert!(page.body.contains("/pkg/tokensmith.css"));
    let failed = app
        .post_form("/login", None, &format!("email={ADMIN}&password=wrong"))
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    for text in code {
        assert!(!failed.body.contains(text), "{text} after a failure");
    }
    let cookie = app.sign_in(ADMIN).await;
    let home = app.get("/settings/api", Some(&cookie)).await;
    assert!(home
        .body
        .contains(r#""pkg", "tokensmith", "tokensmith_bg""#));
    // The code is fetched by the page's script after the first paint, not hinted beside the
    // stylesheet before it: `/enhance.js` always, the islands' code (the bootstrap above)
    // only where the page has an island, which this one hasn't.
    let start = r#"setTimeout(painted)));import("/enhance.js");if(document.querySelector("leptos-island")){"#;
    assert!(home.body.contains(start), "{}", home.body);
    // There, a load that fails before the islands are live is told to `/enhance.js`,
    // which shows the notice (set before the bootstrap runs: it may fail first).
    let failed = r#"addEventListener("unhandledrejection",()=>import("/enhance.js").then((page)=>page.loadFailed()));const boot=()=>"#;
    assert!(
        home.body.contains(&format!("{start}{failed}")),
        "{}",
        home.body
    );
    assert!(!home.body.contains("<leptos-island"), "{}", home.body);
    assert!(!home.body.contains("preload"), "{}", home.body);
    // The script is what the router serves, compressed.
    let script = app.get("/enhance.js", None).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.header("content-type"), "text/javascript");
    assert!(script
        .body
        .contains(r#"setAttribute("data-hydrated", "true")"#));
    assert!(script.body.contains("export function loadFailed()"));
    assert!(script.body.contains("This page stopped working."));
    // And the one that runs the bootstrap on a page whose islands wait for the user.
    let end = r#"else(await import("/islands.js")).onIntent(boot);}"#;
    assert!(home.body.contains(end), "{}", home.body);
    let script = app.get("/islands.js", None).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.header("content-type"), "text/javascript");
    assert!(script.body.contains("export function onIntent(boot)"));
}

#[tokio::test]
async fn right_credentials_open_a_session_and_go_home() {
    let app = TestApp::new().await;
    let reply = app
        .post_form(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.header("location"), "/");
    let set_cookie = reply.header("set-cookie");
    assert!(set_cookie.starts_with("tokensmith_session="));
    assert!(set_cookie.contains("HttpOnly"));
    assert!(set_cookie.contains("SameSite=Lax"));
    assert!(
        !set_cookie.contains("Secure"),
        "plain http gets no Secure flag"
    );

    let page = app.get("/settings/api", Some(&cookie_from(&reply))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Alex Morgan"));
}

#[tokio::test]
async fn email_case_does_not_matter() {
    let app = TestApp::new().await;
    let reply = app
        .post_form(
            "/login",
            None,
            &format!("email=ADMIN%40Acme.Test&password={PASSWORD}"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_failure_gets_the_same_message_and_401() {
    let app = TestApp::new().await;
    let attempts = [
        format!("email={ADMIN}&password=wrong-password"),
        format!("email=nobody%40acme.test&password={PASSWORD}"),
        format!("email=not-an-email&password={PASSWORD}"),
        "email=&password=".to_string(),
        "garbage".to_string(),
        format!("email={ADMIN}&password={}", "x".repeat(5000)),
    ];
    for body in attempts {
        let reply = app.post_form("/login", None, &body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{body}");
        assert!(reply.body.contains(FAILURE), "{body}");
        assert!(reply.header("set-cookie").is_empty(), "{body}");
        assert!(reply.header("content-type").starts_with("text/html"));
    }
}

#[tokio::test]
async fn a_failed_attempt_keeps_the_email_typed() {
    let app = TestApp::new().await;
    let reply = app
        .post_form("/login", None, &format!("email={ANALYST}&password=nope"))
        .await;
    assert!(reply.body.contains(&format!(r#"value="{ANALYST}""#)));
}

#[tokio::test]
async fn signing_in_again_replaces_the_session() {
    let app = TestApp::new().await;
    let first = app.sign_in(ADMIN).await;
    let reply = app
        .post_form(
            "/login",
            Some(&first),
            &format!("email={ADMIN}&password={PASSWORD}"),
        )
        .await;
    let second = cookie_from(&reply);
    assert_ne!(first, second);
    assert_eq!(
        app.get("/settings/api", Some(&first)).await.status,
        StatusCode::FOUND
    );
    assert_eq!(
        app.get("/settings/api", Some(&second)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn https_behind_a_proxy_marks_the_cookie_secure() {
    let app = TestApp::new().await;
    let reply = app
        .post_with(
            "/login",
            None,
            &format!("email={ADMIN}&password={PASSWORD}"),
            &[("x-forwarded-proto", "https")],
        )
        .await;
    assert!(reply.header("set-cookie").ends_with("; Secure"));
}

#[tokio::test]
async fn the_database_holds_no_session_id() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let id = cookie.split_once('=').unwrap().1;
    let stored: Vec<Vec<u8>> = query("SELECT id_hash FROM sessions")
        .scalars(&app.pool)
        .await
        .unwrap();
    // Keyed by the SHA-256 of the cookie's value: not the value, nor the bytes it encodes.
    use sha2::Digest;
    assert_eq!(stored, [sha2::Sha256::digest(id.as_bytes()).to_vec()]);
    assert!(app.leaked_now(id).is_empty());
}

async fn throttled_events(app: &TestApp) -> i64 {
    query("SELECT count(*) FROM audit_events WHERE action = 'sign_in_throttled'")
        .scalar(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn ten_failures_lock_the_account_for_a_while_with_429() {
    let app = TestApp::new().await;
    let wrong = format!("email={ADMIN}&password=wrong-password");
    let limit = app::ssr::sign_in_guard::SignInLimits::default().per_account;
    for _ in 0..limit {
        let reply = app.post_form("/login", None, &wrong).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password is not tried: 429, the wait, and the form again.
    let right = format!("email={ADMIN}&password={PASSWORD}");
    for body in [&wrong, &right] {
        let reply = app.post_form("/login", None, body).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = reply.header("retry-after").parse().unwrap();
        assert!((800..=900).contains(&retry), "{retry}");
        assert!(reply
            .body
            .contains("Too many failed sign-ins. Try again in 15 minutes"));
        assert!(reply.body.contains(r#"role="alert""#));
        assert!(
            reply.body.contains(r#"action="/login""#),
            "the form is there again"
        );
    }
    // One audit event for the account, not one per refusal.
    assert_eq!(throttled_events(&app).await, 1);
    let actor: i64 = query("SELECT actor_id FROM audit_events WHERE action = 'sign_in_throttled'")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(actor, app.user_id(ADMIN).await);
    // Other accounts are not locked with it.
    app.sign_in(SPECIALIST).await;
}

#[tokio::test]
async fn one_address_can_only_guess_so_much_across_accounts() {
    let app = TestApp::new().await;
    for i in 0..30 {
        let reply = app
            .post_form(
                "/login",
                None,
                &format!("email=guess{i}%40acme.test&password=x"),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let next = app
        .post_form(
            "/login",
            None,
            &format!("email={ANALYST}&password={PASSWORD}"),
        )
        .await;
    assert_eq!(next.status, StatusCode::TOO_MANY_REQUESTS);
    // Unknown emails have no account to audit.
    assert_eq!(throttled_events(&app).await, 0);
}

#[tokio::test]
async fn a_success_starts_the_account_afresh() {
    let app = TestApp::new().await;
    let wrong = format!("email={ADMIN}&password=wrong-password");
    for _ in 0..9 {
        app.post_form("/login", None, &wrong).await;
    }
    app.sign_in(ADMIN).await;
    for _ in 0..9 {
        let reply = app.post_form("/login", None, &wrong).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
}

/// With every password-hash slot busy for the whole wait (3 s), a sign-in is answered 503
/// with `Retry-After: 1` and the sign-in page says to try again; it counts as no failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_hash_slots_busy_for_3_s_gives_503_and_retry_after_1() {
    let app = TestApp::new().await;
    let slots = app::ssr::sign_in_guard::SignInLimits::default().hashes;
    let mut held = Vec::new();
    for _ in 0..slots {
        held.push(app.sign_in.hash_slot().await.unwrap());
    }
    let asked = std::time::Instant::now();
    let body = format!("email={ADMIN}&password={PASSWORD}");
    let reply = app.post_form("/login", None, &body).await;
    let took = asked.elapsed();
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert_eq!(reply.header("retry-after"), "1");
    assert!(took >= std::time::Duration::from_secs(3), "{took:?}");
    assert!(reply
        .body
        .contains("Sign-in is busy right now. Try again in a moment."));
    drop(held);
    app.sign_in(ADMIN).await;
    assert_eq!(throttled_events(&app).await, 0);
}

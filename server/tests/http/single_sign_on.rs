//! Single sign-on against a real OpenID provider (npm `oidc-provider`): set up by an
//! administrator with a recent proof; a user it vouches for signs in, one unknown here is
//! refused, **Create users on first sign-in** adds them, **Require single sign-on** turns
//! passwords off but for the break-glass administrator; a provider that lies is refused.

use super::harness::{cookie_from, Reply, TestApp, ADMIN, ANALYST, PASSWORD};
use super::test_provider::{TestProvider, CLIENT_SECRET};
use app::ssr::db::engine::query;
use http::StatusCode;

/// Saves the account's single sign-on at `provider`, with `extra` form fields.
async fn set_up(app: &TestApp, admin: &str, provider: &TestProvider, extra: &str) -> Reply {
    let role = if extra.contains("default_role") {
        ""
    } else {
        "&default_role=analyst"
    };
    let body = format!(
        "issuer={}&client_id=tokensmith&client_secret={CLIENT_SECRET}{role}{extra}",
        provider.issuer
    );
    app.call("set_single_sign_on", Some(admin), &body).await
}

/// Signs in through the provider as `account`, starting from `typed` (an Account SID or an
/// email); the callback's answer.
async fn through(app: &TestApp, provider: &TestProvider, typed: &str, account: &str) -> Reply {
    provider.act_as(account, "").await;
    finish(app, provider, typed).await
}

async fn finish(app: &TestApp, provider: &TestProvider, typed: &str) -> Reply {
    let started = app
        .post_form("/login/sso", None, &format!("account={typed}"))
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let cookie = cookie_from(&started);
    assert!(cookie.starts_with("tokensmith_sso="), "{cookie}");
    let back = provider.sign_in(&onward(&started)).await;
    assert!(back.starts_with("/login/sso/callback?"), "{back}");
    app.get(&back, Some(&cookie)).await
}

/// Where the page `POST /login/sso` answers sends the browser on (its refresh, which its
/// link repeats).
fn onward(started: &Reply) -> String {
    let refresh = started
        .body
        .split("0;url=")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no refresh in {}", started.body));
    let url = refresh.replace("&amp;", "&");
    assert!(started.body.contains(&format!("href=\"{refresh}\"")));
    url
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    query(sql).scalar(&app.pool).await.unwrap()
}

#[tokio::test]
async fn a_user_it_vouches_for_signs_in_and_a_stranger_is_refused() {
    let app = TestApp::new().await;
    let provider = TestProvider::start().await;
    let admin = app.sign_in(ADMIN).await;
    let saved = set_up(&app, &admin, &provider, "").await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let sid = app.account_sid().await;
    let done = through(&app, &provider, &sid, ANALYST).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.header("location"), "/");
    let session = done
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("tokensmith_session="))
        .expect("a session cookie");
    let me = app.call("session_info", Some(&session), "").await;
    assert_eq!(me.status, StatusCode::OK);
    let analyst_id = app.user_id(ANALYST).await;
    assert!(
        me.body.contains(&format!("\"user_id\":{analyst_id},")),
        "{}",
        me.body
    );
    let audited = "SELECT COUNT(*) FROM audit_events WHERE action = 'sso_sign_in'";
    assert_eq!(count(&app, audited).await, 1);
    // Starting from the user's email works too; the identity is linked now.
    let again = through(&app, &provider, ANALYST, ANALYST).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sso_identities").await, 1);
    // Someone the provider knows and this account doesn't.
    let stranger = through(&app, &provider, &sid, "stranger@example.test").await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    assert!(
        stranger.body.contains("has no Tokensmith user"),
        "{}",
        stranger.body
    );
    assert!(stranger.body.contains("stranger@example.test"));
    // An email the provider did not verify links nobody, even a user's.
    let unverified = through(&app, &provider, &sid, "unverified@acme.test").await;
    assert_eq!(unverified.status, StatusCode::FORBIDDEN);
    assert!(
        unverified
            .body
            .contains("did not say the email is verified"),
        "{}",
        unverified.body
    );
}

#[tokio::test]
async fn create_users_on_first_sign_in_adds_them_with_the_default_role() {
    let app = TestApp::new().await;
    let provider = TestProvider::start().await;
    let admin = app.sign_in(ADMIN).await;
    let saved = set_up(
        &app,
        &admin,
        &provider,
        "&create_users=on&default_role=finance",
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let sid = app.account_sid().await;
    let done = through(&app, &provider, &sid, "newbie@example.test").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let role: String = query("SELECT role FROM users WHERE email = 'newbie@example.test'")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(role, "finance");
    let created = "SELECT COUNT(*) FROM audit_events WHERE action = 'sso_user_created'";
    assert_eq!(count(&app, created).await, 1);
    // The second time, the same user: nobody new.
    through(&app, &provider, &sid, "newbie@example.test").await;
    assert_eq!(count(&app, created).await, 1);
}

#[tokio::test]
async fn require_single_sign_on_turns_passwords_off_but_for_the_break_glass_administrator() {
    let app = TestApp::new().await;
    let provider = TestProvider::start().await;
    let admin = app.sign_in(ADMIN).await;
    let no_glass = set_up(&app, &admin, &provider, "&required=on").await;
    assert_eq!(no_glass.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_glass.body.contains("break-glass"), "{}", no_glass.body);
    let analyst_id = app.user_id(ANALYST).await;
    let not_admin = set_up(
        &app,
        &admin,
        &provider,
        &format!("&required=on&break_glass={analyst_id}"),
    )
    .await;
    assert_eq!(not_admin.status, StatusCode::UNPROCESSABLE_ENTITY);
    let admin_id = app.user_id(ADMIN).await;
    let saved = set_up(
        &app,
        &admin,
        &provider,
        &format!("&required=on&break_glass={admin_id}"),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // A right password no longer signs in…
    let body = format!("email={ANALYST}&password={PASSWORD}");
    let refused = app.post_form("/login", None, &body).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("single sign-on"), "{}", refused.body);
    // …but the break-glass administrator's does, recorded every time.
    app.sign_in(ADMIN).await;
    let glass = "SELECT COUNT(*) FROM audit_events WHERE action = 'break_glass_sign_in'";
    assert_eq!(count(&app, glass).await, 1);
    // Single sign-on still signs the analyst in.
    let sid = app.account_sid().await;
    let done = through(&app, &provider, &sid, ANALYST).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
}

#[tokio::test]
async fn a_provider_that_lies_is_refused_with_a_clear_page() {
    let app = TestApp::new().await;
    let provider = TestProvider::start().await;
    let admin = app.sign_in(ADMIN).await;
    set_up(&app, &admin, &provider, "").await;
    let sid = app.account_sid().await;
    for (kind, says) in [
        ("issuer", "comes from another issuer"),
        ("audience", "meant for another client"),
        ("nonce", "belongs to another sign-in"),
        ("expired", "has expired"),
        ("signature", "signature is not the provider's"),
    ] {
        provider.act_as(ANALYST, kind).await;
        let refused = finish(&app, &provider, &sid).await;
        assert_eq!(
            refused.status,
            StatusCode::UNAUTHORIZED,
            "{kind}: {}",
            refused.body
        );
        assert!(refused.body.contains(says), "{kind}: {}", refused.body);
        assert!(
            !refused.header("set-cookie").contains("tokensmith_session="),
            "{kind}"
        );
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sso_identities").await, 0);
}

#[tokio::test]
async fn the_callback_needs_its_cookie_and_its_state_once() {
    let app = TestApp::new().await;
    let provider = TestProvider::start().await;
    let admin = app.sign_in(ADMIN).await;
    set_up(&app, &admin, &provider, "").await;
    provider.act_as(ANALYST, "").await;
    let sid = app.account_sid().await;
    let started = app
        .post_form("/login/sso", None, &format!("account={sid}"))
        .await;
    let cookie = cookie_from(&started);
    let back = provider.sign_in(&onward(&started)).await;
    // Without the cookie (another browser): refused, and nothing used up.
    let elsewhere = app.get(&back, None).await;
    assert_eq!(elsewhere.status, StatusCode::BAD_REQUEST);
    assert!(elsewhere.body.contains("has ended"), "{}", elsewhere.body);
    // Another state: refused, and the sign-in is used up.
    let forged = back.replace("state=", "state=x");
    assert_eq!(
        app.get(&forged, Some(&cookie)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get(&back, Some(&cookie)).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM sso_logins").await, 0);
}

#[tokio::test]
async fn settings_are_an_administrators_with_a_recent_proof_and_the_secret_stays_hidden() {
    let app = TestApp::new().await;
    let provider = TestProvider::start().await;
    let admin = app.sign_in(ADMIN).await;
    let analyst = app.sign_in(ANALYST).await;
    assert_eq!(
        set_up(&app, &analyst, &provider, "").await.status,
        StatusCode::FORBIDDEN
    );
    let bad = app
        .call(
            "set_single_sign_on",
            Some(&admin),
            "issuer=http://login.example.com&client_id=x&client_secret=y&default_role=analyst",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("https://"), "{}", bad.body);
    let no_secret = app
        .call(
            "set_single_sign_on",
            Some(&admin),
            &format!(
                "issuer={}&client_id=tokensmith&default_role=analyst",
                provider.issuer
            ),
        )
        .await;
    assert_eq!(no_secret.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        set_up(&app, &admin, &provider, "").await.status,
        StatusCode::OK
    );
    // Saved again without a secret: the saved one stays.
    let kept = app
        .call(
            "set_single_sign_on",
            Some(&admin),
            &format!(
                "issuer={}&client_id=tokensmith&default_role=analyst",
                provider.issuer
            ),
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    // The secret is stored for the provider's sake, and no log shows it (the scan at the
    // end of every test looks for the one the form sent).
    let stored: String = query("SELECT client_secret FROM sso_configs")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, CLIENT_SECRET);
    let listed = app.call("list_users", Some(&admin), "").await;
    assert!(listed.body.contains(&provider.issuer), "{}", listed.body);
    assert!(!listed.body.contains(CLIENT_SECRET));
    let page = app.get("/settings/users", Some(&admin)).await;
    assert!(page.body.contains("Single sign-on"), "{}", page.body);
    assert!(!page.body.contains(CLIENT_SECRET));
    query("UPDATE sessions SET proved_at = proved_at - 16 * 60")
        .execute(&app.pool)
        .await
        .unwrap();
    let stale = app.call("remove_single_sign_on", Some(&admin), "").await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN);
    query("UPDATE sessions SET proved_at = proved_at + 16 * 60")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.call("remove_single_sign_on", Some(&admin), "")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.call("remove_single_sign_on", Some(&admin), "")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let changed = "SELECT COUNT(*) FROM audit_events WHERE action = 'sso_settings_changed'";
    // Set up, then off: saving what was saved changed nothing and recorded nothing.
    assert_eq!(count(&app, changed).await, 2);
}

#[tokio::test]
async fn an_unknown_account_or_an_unreachable_provider_gets_a_clear_page() {
    let app = TestApp::new().await;
    let unknown = app.post_form("/login/sso", None, "account=ACnobody").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("isn't set up"), "{}", unknown.body);
    let admin = app.sign_in(ADMIN).await;
    let body =
        "issuer=http://127.0.0.1:1&client_id=tokensmith&client_secret=s&default_role=analyst";
    assert_eq!(
        app.call("set_single_sign_on", Some(&admin), body)
            .await
            .status,
        StatusCode::OK
    );
    let down = app
        .post_form("/login/sso", None, &format!("account={ADMIN}"))
        .await;
    assert_eq!(down.status, StatusCode::BAD_GATEWAY, "{}", down.body);
    assert!(
        down.body.contains("can't be used right now"),
        "{}",
        down.body
    );
}

#[tokio::test]
async fn confirm_access_offers_single_sign_on_which_comes_back_to_the_page() {
    let app = TestApp::new().await;
    let provider = TestProvider::start().await;
    let admin = app.sign_in(ADMIN).await;
    set_up(&app, &admin, &provider, "").await;
    let confirm = app
        .get("/confirm-access?next=/settings/users", Some(&admin))
        .await;
    assert!(
        confirm
            .body
            .contains(r#"href="/login/sso?next=/settings/users""#),
        "{}",
        confirm.body
    );
    provider.act_as(ADMIN, "").await;
    let body = format!("account={ADMIN}&next=/settings/users");
    let started = app.post_form("/login/sso", None, &body).await;
    let back = provider.sign_in(&onward(&started)).await;
    let done = app.get(&back, Some(&cookie_from(&started))).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.header("location"), "/settings/users");
    // Only paths of this site: anything else goes home.
    let body = format!("account={ADMIN}&next=//evil.test");
    let started = app.post_form("/login/sso", None, &body).await;
    let back = provider.sign_in(&onward(&started)).await;
    let done = app.get(&back, Some(&cookie_from(&started))).await;
    assert_eq!(done.header("location"), "/");
}

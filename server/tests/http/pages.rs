//! Server-rendered pages and their statuses.

use super::harness::{TestApp, ADMIN, ANALYST, FINANCE, SPECIALIST};
use http::StatusCode;

#[tokio::test]
async fn admins_and_specialists_see_the_api_page() {
    let app = TestApp::new().await;
    for email in [ADMIN, SPECIALIST] {
        let cookie = app.sign_in(email).await;
        let page = app.get("/settings/api", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{email}");
        for text in [
            "<h1>API</h1>",
            "Account SID",
            "Enable API access",
            "No access tokens yet",
            "Sign out",
            "Acme Outdoor",
        ] {
            assert!(page.body.contains(text), "{email}: {text}");
        }
        // The words and keys `/enhance.js` needs are in the markup: the switch's hints and
        // refusals, the drafts sign-out forgets (the user's own and the pre-per-user one).
        for text in [
            r#"data-hint-on="API access is on: this account's enabled tokens"#,
            r#"data-hint-off="API access is off: no token of this account"#,
            "&quot;Unauthorized&quot;:&quot;Please sign in to continue.&quot;",
            "&quot;Unreachable&quot;:&quot;The server could not be reached.",
            r#"data-forget-drafts="tokensmith.create-token-draft.AC"#,
            r#" tokensmith.create-token-draft""#,
        ] {
            assert!(page.body.contains(text), "{email}: {text} in {}", page.body);
        }
        assert!(page.header("content-security-policy").contains("'nonce-"));
        assert_eq!(page.header("cache-control"), "no-store");
    }
}

#[tokio::test]
async fn analyst_and_finance_get_403() {
    let app = TestApp::new().await;
    for email in [ANALYST, FINANCE] {
        let cookie = app.sign_in(email).await;
        let page = app.get("/settings/api", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{email}");
        assert!(
            page.body
                .contains("You don&#x27;t have access to this page.")
                || page.body.contains("You don't have access to this page."),
            "{email}"
        );
        assert!(!page.body.contains("Account SID"), "{email}");
        assert!(!page.body.contains("Enable API access"), "{email}");
    }
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = TestApp::new().await;
    for path in [
        "/settings/api",
        "/settings",
        "/settings/api/security",
        "/settings/api/tokens/TSaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::FOUND, "{path}");
        assert_eq!(page.header("location"), "/login", "{path}");
    }
    for path in ["/", "/settings/users"] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::FOUND, "{path}");
        assert_eq!(page.header("location"), "/login", "{path}");
    }
}

#[tokio::test]
async fn the_page_shows_who_is_signed_in() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(SPECIALIST).await;
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert!(page.body.contains("Sam Rivera"));
    assert!(page.body.contains("Implementation Specialist"));
}

#[tokio::test]
async fn unknown_routes_are_404() {
    let app = TestApp::new().await;
    let page = app.get("/no/such/page", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    let cookie = app.sign_in(ADMIN).await;
    let page = app.get("/settings/nope", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_security_advice_is_linked_and_served() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let api = app.get("/settings/api", Some(&cookie)).await;
    assert!(api.body.contains(r#"href="/settings/api/security""#));
    let page = app.get("/settings/api/security", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Keep your access tokens secure"));
    assert!(page.body.contains("reset it immediately"));
}

#[tokio::test]
async fn pages_and_server_functions_are_compressed_the_brand_api_is_not() {
    use axum::body::Body;
    use http::{header, Request};
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let plain = app.get("/settings/api", Some(&cookie)).await;
    assert_eq!(plain.header("content-encoding"), "");
    for encoding in ["br", "gzip"] {
        let request = Request::get("/settings/api")
            .header(header::HOST, super::harness::HOST)
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT_ENCODING, encoding)
            .body(Body::empty())
            .unwrap();
        let page = app.send(request).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.header("content-encoding"), encoding);
        assert!(page.header("vary").contains("accept-encoding"));
        // Encoded, not the page's text (the harness reads bodies as text, so no sizes here).
        assert!(plain.body.contains("<h1>API</h1>"));
        assert!(!page.body.contains("<h1>API</h1>"), "{encoding}");
    }
    // The brand API answers uncompressed whatever the client accepts.
    let account = app.account_sid().await;
    let api = app
        .api(
            "GET",
            &format!("/Advertisers/{account}/Actions"),
            None,
            &[("accept-encoding", "br, gzip")],
            "",
        )
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);
    assert_eq!(api.header("content-encoding"), "");
}

/// Pages are rendered on the server and ship no resource data for hydration: the only
/// data the browser gets is each island's props, once (the token page's editors start from
/// the page's one answer; the wizard gets the contacts). The pages render beside the
/// layout's `Suspense` (which re-runs its children on the server until they settle), so
/// each loads its data once.
#[tokio::test]
async fn pages_ship_their_data_once_as_island_props() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let made = app.make_token(&cookie, "Loaded once").await;
    let token_page = format!("/settings/api/tokens/{}", made.sid);
    for (path, islands) in [
        ("/settings/api", 0),
        (token_page.as_str(), 1),
        ("/settings/api/tokens/new", 1),
        ("/settings/password", 1),
        ("/settings/api/security", 0),
    ] {
        let page = app.get(path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(
            page.body.matches("__RESOLVED_RESOURCES[").count(),
            0,
            "{path}"
        );
        assert_eq!(
            page.body.matches("<leptos-island").count(),
            islands,
            "{path}"
        );
    }
    let page = app.get(&token_page, Some(&cookie)).await;
    assert_eq!(page.body.matches("secret_hint").count(), 1);
    let page = app.get("/settings/api/tokens/new", Some(&cookie)).await;
    assert_eq!(
        page.body.matches("admin@acme.test").count(),
        1,
        "once, in the wizard's props"
    );
}

/// The token page shows each section as it is, with its editor behind **Edit …**: the
/// editors' fields are not in the page until one is opened (their code is fetched then).
#[tokio::test]
async fn the_token_page_shows_its_sections_with_the_editors_closed() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let made = app.make_token(&cookie, "Closed editors").await;
    let page = app
        .get(&format!("/settings/api/tokens/{}", made.sid), Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    // Without the hydration markers (`<!>`).
    let body = page.body.replace("<!>", "");
    for (label, panel) in [
        ("Edit name and description", "overview-editor"),
        ("Edit scopes", "scopes-editor"),
        ("Edit allowed IP addresses", "allowed-ips-editor"),
        ("Edit limits", "limits-editor"),
        ("Edit contacts", "contacts-editor"),
    ] {
        let button = format!(
            r#"aria-expanded="false" aria-controls="{panel}" class="secondary edit-toggle">{label}</button>"#
        );
        assert!(body.contains(&button), "{label}: {body}");
        assert!(
            body.contains(&format!(r#"<div id="{panel}" hidden"#)),
            "{panel}"
        );
    }
    for field in [
        "token-name",
        "token-scopes",
        "token-allowed-ips",
        "token-quota-refill",
        "token-primary-contact",
    ] {
        assert!(!body.contains(&format!(r#"id="{field}""#)), "{field}");
    }
    for shown in [
        "<h2>API Scopes</h2>",
        "<li><code>actions:get</code></li>",
        "<h2>Allowed IP addresses</h2><p>Any address</p>",
        "<dt>Primary Contact</dt><dd>Alex Morgan &lt;admin@acme.test&gt;</dd>",
    ] {
        assert!(body.contains(shown), "{shown}: {body}");
    }
}

/// The list's cards are written as markup, not views: what a user typed is escaped there
/// as everywhere (a name that is markup shows as text, and cannot close an attribute).
#[tokio::test]
async fn the_token_list_shows_a_markup_name_as_text() {
    let app = TestApp::new().await;
    let cookie = app.sign_in(ADMIN).await;
    let name = r#"<img src=x onerror=alert(1)> "Tom" & 'Jerry'"#;
    let made = app.make_token(&cookie, name).await;
    let page = app.get("/settings/api", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let link = format!(
        r#"<a href="/settings/api/tokens/{}">&lt;img src=x onerror=alert(1)&gt; "Tom" &amp; 'Jerry'</a>"#,
        made.sid
    );
    assert!(page.body.contains(&link), "{}", page.body);
    assert!(!page.body.contains("<img"));
}

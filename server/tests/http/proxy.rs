//! Client addresses behind a trusted reverse proxy (`TOKENSMITH_TRUSTED_PROXIES`): what
//! nginx's `$proxy_add_x_forwarded_for` forwards is the client's own header, bytes and all,
//! then the address nginx saw. Nothing a client writes there may make its request look as
//! if it came from the proxy.

use super::harness::{basic, TestApp, ADMIN};
use http::StatusCode;
use serde_json::json;

const PROXY: &str = "127.0.0.1:40000";

#[tokio::test]
async fn a_client_behind_the_proxy_cannot_pass_for_it() {
    let app = TestApp::behind_proxy("127.0.0.1").await;
    let cookie = app.sign_in(ADMIN).await;
    app.set_api_access(&cookie, true).await;
    let token = app.make_token(&cookie, "Proxy only").await;
    // A token fenced to the proxy's own address: usable only by the proxy's host.
    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "AllowedIps": { "allowed_ips": "127.0.0.1/32" } }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let account = app.account_sid().await;
    let path = format!("/Advertisers/{account}/Actions");
    let auth = basic(&token.sid, &token.secret);
    let send = |lines: &'static [&'static [u8]]| {
        let (app, path, auth) = (&app, path.clone(), auth.clone());
        async move { app.api_forwarded(PROXY, lines, &path, &auth).await }
    };

    // The proxy's own host (no header) is inside the allowlist.
    assert_eq!(send(&[]).await.status, StatusCode::OK);
    // A client that sends an unreadable byte: nginx appends the address it saw.
    let outside = send(&[b"\xff, 198.51.100.4"]).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN, "{}", outside.body);
    assert!(outside.body.contains("198.51.100.4"), "{}", outside.body);
    // Its own header on its own line, nginx's on another.
    let outside = send(&[b"\xff", b"198.51.100.4"]).await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN, "{}", outside.body);
    // Claiming to be the proxy, or giving a port.
    for lines in [
        &[&b"127.0.0.1, 198.51.100.4"[..]][..],
        &[b"127.0.0.1:80, 198.51.100.4:5151"],
        &[b"[::1]:80, 198.51.100.4"],
    ] {
        let outside = app.api_forwarded(PROXY, lines, &path, &auth).await;
        assert_eq!(outside.status, StatusCode::FORBIDDEN, "{lines:?}");
    }
    // Where the client's address should be, something unreadable: refused outright.
    for lines in [
        &[&b"\xff"[..]][..],
        &[b"junk"],
        &[b"198.51.100.4, 127.0.0.1:99999"],
    ] {
        let refused = app.api_forwarded(PROXY, lines, &path, &auth).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{lines:?}");
        assert!(refused.body.contains("X-Forwarded-For"), "{}", refused.body);
    }
    // A peer that isn't the proxy is itself, whatever it forwards.
    let direct = app
        .api_forwarded("198.51.100.9:1", &[b"127.0.0.1"], &path, &auth)
        .await;
    assert_eq!(direct.status, StatusCode::FORBIDDEN);
}

/// Sign-in throttling counts the real client, not the proxy, however the header is garbled.
#[tokio::test]
async fn unreadable_forwarding_is_refused_before_sign_in() {
    let app = TestApp::behind_proxy("127.0.0.1").await;
    let mut request = http::Request::post("/login")
        .header(http::header::HOST, super::harness::HOST)
        .header(
            http::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(
            "x-forwarded-for",
            http::HeaderValue::from_bytes(b"\xfe").unwrap(),
        )
        .body(axum::body::Body::from(format!(
            "email={ADMIN}&password=wrong"
        )))
        .unwrap();
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo::<std::net::SocketAddr>(
            PROXY.parse().unwrap(),
        ));
    assert_eq!(app.send(request).await.status, StatusCode::BAD_REQUEST);
}

//! Device cookies (OWASP): one guesser behind a shared address (an office NAT, a VPN, the
//! proxy without `TOKENSMITH_TRUSTED_PROXIES`) must not lock out the colleagues behind it.
//! A browser where a user signed in gets a device cookie; its sign-ins are counted on
//! their own, so the flood's 429 doesn't reach it, while an attacker without the cookie
//! still gets 429, and a device cookie that fails too often is locked itself.

use super::harness::{Reply, TestApp, ADMIN, PASSWORD, SPECIALIST};
use http::{header, StatusCode};

/// The `name=value` of the device cookie a sign-in gave.
fn device_from(reply: &Reply) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tokensmith_device="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

async fn sign_in(app: &TestApp, email: &str, password: &str, cookie: Option<&str>) -> Reply {
    let body = format!("email={email}&password={password}");
    app.post_form("/login", cookie, &body).await
}

#[tokio::test]
async fn a_flood_from_a_shared_address_does_not_lock_out_a_known_browser() {
    let app = TestApp::new().await;
    // An hour ago the colleague signed in from this browser.
    let first = sign_in(&app, SPECIALIST, PASSWORD, None).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let device = device_from(&first).expect("a device cookie");
    let set = first
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("tokensmith_device="))
        .unwrap();
    assert!(
        set.contains("Path=/login; HttpOnly; SameSite=Strict"),
        "{set}"
    );

    // The guesser, behind the same address: the colleague's account and then anyone's.
    let mut statuses = Vec::new();
    for i in 0..600 {
        let email = if i < 15 {
            SPECIALIST.to_string()
        } else {
            format!("nobody{i}@acme.test")
        };
        statuses.push(sign_in(&app, &email, "wrong-password", None).await.status);
    }
    assert!(statuses.ends_with(&[StatusCode::TOO_MANY_REQUESTS; 500]));

    // Without the cookie, even the right password waits (attacker or not).
    let stranger = sign_in(&app, SPECIALIST, PASSWORD, None).await;
    assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS);
    let other_user = sign_in(&app, ADMIN, PASSWORD, Some(&device)).await;
    assert_eq!(
        other_user.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the cookie is the specialist's, not the admin's"
    );
    let forged = "tokensmith_device=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let forged = sign_in(&app, SPECIALIST, PASSWORD, Some(forged)).await;
    assert_eq!(forged.status, StatusCode::TOO_MANY_REQUESTS);

    // With it, the colleague signs in.
    let colleague = sign_in(&app, SPECIALIST, PASSWORD, Some(&device)).await;
    assert_eq!(
        colleague.status,
        StatusCode::SEE_OTHER,
        "{}",
        colleague.body
    );
    assert_eq!(device_from(&colleague).as_deref(), Some(device.as_str()));

    // A device cookie that fails too often is locked itself.
    let mut device_statuses = Vec::new();
    for _ in 0..12 {
        let reply = sign_in(&app, SPECIALIST, "wrong-password", Some(&device)).await;
        device_statuses.push(reply.status);
    }
    assert_eq!(device_statuses[..10], [StatusCode::UNAUTHORIZED; 10]);
    assert_eq!(device_statuses[10..], [StatusCode::TOO_MANY_REQUESTS; 2]);
    let locked = sign_in(&app, SPECIALIST, PASSWORD, Some(&device)).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn devices_are_stored_hashed_and_bounded_per_user() {
    let app = TestApp::new().await;
    let mut devices = Vec::new();
    for _ in 0..25 {
        let reply = sign_in(&app, ADMIN, PASSWORD, None).await;
        devices.push(device_from(&reply).unwrap());
    }
    let kept: i64 = app::ssr::db::engine::query("SELECT COUNT(*) FROM sign_in_devices")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(kept, app::ssr::db::sign_in_devices::PER_USER);
    // Neither the cookie's value nor its base64 is in the database.
    for device in &devices {
        let value = device.split_once('=').unwrap().1;
        assert!(app.leaked_now(value).is_empty(), "{value}");
    }
}

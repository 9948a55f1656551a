//! Server-only parts: state, database repositories, passwords and sessions.

pub mod auth;
pub mod counters;
pub mod credentials;
pub mod db;
pub mod device_cookie;
pub mod factors;
pub mod headers;
pub mod password;
pub mod pending_cookie;
pub mod request_note;
pub mod response;
pub mod session_cookie;
pub mod sign_in_guard;
pub mod sso_cookie;
pub mod state;
pub mod status;
pub mod totp;
pub mod webauthn;
pub mod webhook_reach;
pub mod webhook_signature;

/// Seconds since the Unix epoch, the unit of every timestamp in the database.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Now, Unix milliseconds.
pub fn now_millis() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// `at` (Unix seconds) as RFC 3339, in UTC.
pub fn rfc3339(at: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// `len` characters from [A-Za-z0-9], drawn from the operating system's CSPRNG.
pub fn random_base62(len: usize) -> String {
    use rand::distributions::Alphanumeric;
    use rand::Rng;
    rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

/// 256 bits from the operating system's CSPRNG as unpadded URL-safe base64 (43 characters):
/// the value of a cookie that identifies something.
pub fn random_cookie_value() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of `value`: what the database keys a cookie's value by.
pub fn sha256(value: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(value.as_bytes()).into()
}

/// A timestamp as pages show it: `2026-11-29 21:30 UTC`.
pub fn display_time(unix_seconds: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(unix_seconds)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| "unknown".to_string())
}

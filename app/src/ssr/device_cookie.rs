//! The device cookie (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a
//! browser where a user signed in successfully gets a random value, known to the server by
//! its hash ([`crate::ssr::db::sign_in_devices`]). A later sign-in as that user that
//! presents it is counted on its own (per device), so a flood of guesses from the same
//! office address, or against the same account, doesn't lock out the people who use it.
//! It is sent only to `/login` and is no credential: the password is checked as ever.

use http::HeaderMap;
use sha2::{Digest, Sha256};
use std::fmt;

/// The cookie's name over plain http.
pub const DEVICE_COOKIE: &str = "tokensmith_device";
/// Its name with secure cookies: `__Secure-` (it has `Path=/login`, so not `__Host-`).
pub const SECURE_DEVICE_COOKIE: &str = "__Secure-tokensmith_device";

fn name(secure: bool) -> &'static str {
    if secure {
        SECURE_DEVICE_COOKIE
    } else {
        DEVICE_COOKIE
    }
}

/// The random value the browser holds.
pub struct DeviceCookie(String);

impl DeviceCookie {
    /// 256 random bits from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self(super::random_cookie_value())
    }

    /// What the server stores and looks it up by.
    pub fn hash(&self) -> [u8; 32] {
        super::sha256(&self.0)
    }

    /// The name the guard counts its failures under: no secret, a digest of the hash.
    pub fn key(&self) -> String {
        let digest: [u8; 32] = Sha256::digest(self.hash()).into();
        digest[..12].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The cookie in the request, if one of the right form is there (read from bytes).
    pub fn from_headers(headers: &HeaderMap, secure: bool) -> Option<Self> {
        random_cookie(headers, name(secure)).map(Self)
    }

    /// The `Set-Cookie` value: for `/login` only, unreadable by scripts, never sent from
    /// another site, kept as long as the server remembers the device.
    pub fn cookie(&self, secure: bool) -> String {
        format!(
            "{}={}; Path=/login; HttpOnly; SameSite=Strict; Max-Age={}{}",
            name(secure),
            self.0,
            crate::ssr::db::sign_in_devices::TTL_SECS,
            if secure { "; Secure" } else { "" }
        )
    }
}

/// The value of the cookie `wanted` in the request, if it has the form of
/// [`super::random_cookie_value`] (43 characters of URL-safe base64); read from bytes.
pub fn random_cookie(headers: &HeaderMap, wanted: &str) -> Option<String> {
    let wanted = wanted.as_bytes();
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .flat_map(|value| value.as_bytes().split(|&b| b == b';'))
        .filter_map(|pair| {
            let pair = pair.trim_ascii();
            let at = pair.iter().position(|&b| b == b'=')?;
            Some((&pair[..at], &pair[at + 1..]))
        })
        .find(|(name, value)| {
            *name == wanted
                && value.len() == 43
                && value
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        })
        .map(|(_, value)| String::from_utf8_lossy(value).into_owned())
}

impl fmt::Debug for DeviceCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeviceCookie(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            http::HeaderValue::from_bytes(cookie).unwrap(),
        );
        headers
    }

    #[test]
    fn only_a_well_formed_cookie_of_the_right_name_is_read() {
        let device = DeviceCookie::generate();
        let sent = format!("a=b; tokensmith_device={}; c=d", device.0);
        let read = DeviceCookie::from_headers(&headers(sent.as_bytes()), false).unwrap();
        assert_eq!(read.hash(), device.hash());
        assert!(DeviceCookie::from_headers(&headers(sent.as_bytes()), true).is_none());
        for bad in [
            &b"tokensmith_device=short"[..],
            b"tokensmith_device=\xff\xff",
            b"tokensmith_device",
        ] {
            assert!(DeviceCookie::from_headers(&headers(bad), false).is_none());
        }
        let cookie = device.cookie(true);
        assert!(cookie.starts_with("__Secure-tokensmith_device="));
        assert!(cookie.contains("Path=/login; HttpOnly; SameSite=Strict"));
        assert!(cookie.ends_with("; Secure"));
        assert_ne!(device.key(), DeviceCookie::generate().key());
        assert!(!device.key().contains(&device.0));
    }
}

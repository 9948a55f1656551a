//! The cookie of a sign-in waiting for its second factor: a random value the server knows
//! by its hash ([`crate::ssr::db::pending_sign_ins`]), sent only to `/login` paths, for
//! five minutes. It opens nothing but the second step's form.

use super::db::pending_sign_ins::PENDING_TTL_SECS;
use super::device_cookie::random_cookie;
use http::HeaderMap;
use std::fmt;

/// The cookie's name over plain http.
pub const PENDING_COOKIE: &str = "tokensmith_pending";
/// Its name with secure cookies (`Path=/login`, so `__Secure-`, not `__Host-`).
pub const SECURE_PENDING_COOKIE: &str = "__Secure-tokensmith_pending";

fn name(secure: bool) -> &'static str {
    if secure {
        SECURE_PENDING_COOKIE
    } else {
        PENDING_COOKIE
    }
}

/// The random value the browser holds between the password and the second factor.
pub struct PendingCookie(String);

impl PendingCookie {
    /// 256 random bits from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self(super::random_cookie_value())
    }

    /// What the server stores and looks it up by.
    pub fn hash(&self) -> [u8; 32] {
        super::sha256(&self.0)
    }

    /// The cookie in the request, if one of the right form is there.
    pub fn from_headers(headers: &HeaderMap, secure: bool) -> Option<Self> {
        random_cookie(headers, name(secure)).map(Self)
    }

    /// The `Set-Cookie` value: `/login` paths only, unreadable by scripts, never sent from
    /// another site, five minutes.
    pub fn cookie(&self, secure: bool) -> String {
        format!(
            "{}={}; Path=/login; HttpOnly; SameSite=Strict; Max-Age={PENDING_TTL_SECS}{}",
            name(secure),
            self.0,
            if secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes it.
    pub fn removal_cookie(secure: bool) -> String {
        format!(
            "{}=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0{}",
            name(secure),
            if secure { "; Secure" } else { "" }
        )
    }
}

impl fmt::Debug for PendingCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PendingCookie(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_read_back_and_scoped_to_sign_in() {
        let pending = PendingCookie::generate();
        let set = pending.cookie(false);
        assert!(set.contains("Path=/login; HttpOnly; SameSite=Strict; Max-Age=300"));
        let value = set.split(';').next().unwrap().to_string();
        let mut headers = HeaderMap::new();
        headers.insert(http::header::COOKIE, value.parse().unwrap());
        let back = PendingCookie::from_headers(&headers, false).unwrap();
        assert_eq!(back.hash(), pending.hash());
        assert!(PendingCookie::from_headers(&headers, true).is_none());
        assert!(pending
            .cookie(true)
            .starts_with("__Secure-tokensmith_pending="));
        assert!(!format!("{pending:?}").contains(&pending.0));
    }
}

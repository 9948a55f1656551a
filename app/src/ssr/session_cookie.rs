//! The session cookie: a random id the browser holds, known to the server by its hash.

use http::HeaderMap;
use std::fmt;

/// The name of the session cookie over plain http.
pub const SESSION_COOKIE: &str = "tokensmith_session";
/// The name of the session cookie with secure cookies: the `__Host-` prefix makes the
/// browser refuse it unless it is `Secure`, for `Path=/` and without `Domain`, so neither
/// plain http nor a sibling subdomain can plant or shadow it.
pub const SECURE_SESSION_COOKIE: &str = "__Host-tokensmith_session";
/// How long a session lasts after sign-in at most (absolute lifetime), in seconds.
pub const SESSION_TTL_SECS: i64 = 12 * 60 * 60;

/// Whether this request is served over https: secure cookies are configured, or a proxy
/// says so with `X-Forwarded-Proto: https`. Decides the cookie's name and `Secure` flag,
/// and whether responses carry HSTS.
pub fn is_secure(configured: bool, headers: &HeaderMap) -> bool {
    configured
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// The session cookie's name: `__Host-` prefixed when `secure`.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The random session id held by the browser; only its hash is stored.
pub struct SessionToken(pub(super) String);

impl SessionToken {
    /// 256 random bits from the operating system's CSPRNG.
    pub fn generate() -> Self {
        Self(super::random_cookie_value())
    }

    /// The value the database keys the session by.
    pub fn hash(&self) -> [u8; 32] {
        super::sha256(&self.0)
    }

    /// The session id in the request's `Cookie` headers, if any, under the name in use
    /// (`secure`: the `__Host-` one, which only a secure response can have set).
    pub fn from_headers(headers: &HeaderMap, secure: bool) -> Option<Self> {
        let wanted = cookie_name(secure);
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == wanted && !value.is_empty() && value.len() <= 64)
            .map(|(_, value)| Self(value.to_string()))
    }

    /// The `Set-Cookie` value that gives the browser this session.
    pub fn cookie(&self, secure: bool) -> String {
        format!(
            "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_TTL_SECS}{}",
            cookie_name(secure),
            self.0,
            if secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn removal_cookie(secure: bool) -> String {
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
            cookie_name(secure),
            if secure { "; Secure" } else { "" }
        )
    }
}

impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

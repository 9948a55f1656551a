//! The cookie of a sign-in sent to the identity provider: a random value the server knows
//! by its hash ([`crate::ssr::db::sso_logins`]), sent only to `/login/sso` paths, for ten
//! minutes. `SameSite=Lax`: the provider's redirect back is a top-level navigation from
//! its site, which a `Strict` cookie would not follow.

use super::device_cookie::random_cookie;
use crate::domain::single_sign_on::SIGN_IN_SECS;
use http::HeaderMap;
use std::fmt;

/// The cookie's name over plain http.
pub const SSO_COOKIE: &str = "tokensmith_sso";
/// Its name with secure cookies.
pub const SECURE_SSO_COOKIE: &str = "__Secure-tokensmith_sso";

fn name(secure: bool) -> &'static str {
    if secure {
        SECURE_SSO_COOKIE
    } else {
        SSO_COOKIE
    }
}

/// The random value the browser holds while the provider signs it in.
pub struct SsoCookie(String);

impl SsoCookie {
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

    /// The `Set-Cookie` value.
    pub fn cookie(&self, secure: bool) -> String {
        format!(
            "{}={}; Path=/login/sso; HttpOnly; SameSite=Lax; Max-Age={SIGN_IN_SECS}{}",
            name(secure),
            self.0,
            if secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes it.
    pub fn removal_cookie(secure: bool) -> String {
        format!(
            "{}=; Path=/login/sso; HttpOnly; SameSite=Lax; Max-Age=0{}",
            name(secure),
            if secure { "; Secure" } else { "" }
        )
    }
}

impl fmt::Debug for SsoCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SsoCookie(..)")
    }
}

//! Single sign-on as an administrator configures it: the identity provider's issuer, the
//! client Tokensmith is registered as, and what happens to people it vouches for.

use super::Role;
use serde::{Deserialize, Serialize};

/// The longest issuer URL or client id.
pub const MAX_FIELD: usize = 255;
/// The longest client secret.
pub const MAX_SECRET: usize = 512;
/// How long a sign-in sent to the provider may take, in seconds.
pub const SIGN_IN_SECS: i64 = 10 * 60;

/// An account's single sign-on as the Users page shows it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoOverview {
    pub issuer: String,
    pub client_id: String,
    /// **Create users on first sign-in**, with this role.
    pub create_users: bool,
    pub default_role: Role,
    /// **Require single sign-on**, and who may still use a password.
    pub required: bool,
    pub break_glass_user_id: Option<i64>,
}

/// What the form sends, checked.
#[derive(Clone, PartialEq, Eq)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
    /// `None`: keep the stored secret.
    pub client_secret: Option<String>,
    pub create_users: bool,
    pub default_role: Role,
    pub required: bool,
    pub break_glass_user_id: Option<i64>,
}

impl std::fmt::Debug for SsoSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("create_users", &self.create_users)
            .field("default_role", &self.default_role)
            .field("required", &self.required)
            .field("break_glass_user_id", &self.break_glass_user_id)
            .finish_non_exhaustive()
    }
}

/// Checks an issuer URL as typed: `https://` (or `http://` on a loopback host, for a
/// provider on the same machine), a host, no query, fragment or credentials. Kept exactly
/// as typed (trimmed): the provider's `iss` must match it byte for byte, trailing slash too.
pub fn parse_issuer(typed: &str) -> Result<String, String> {
    let issuer = typed.trim();
    let bad = |why: &str| Err(format!("Issuer URL {why}."));
    if issuer.is_empty() {
        return bad(
            "is required: the address of your identity provider, such as https://login.example.com",
        );
    }
    if issuer.len() > MAX_FIELD {
        return bad("is at most 255 characters");
    }
    let rest = if let Some(rest) = issuer.strip_prefix("https://") {
        rest
    } else if let Some(rest) = issuer.strip_prefix("http://") {
        let host = rest.split(['/', ':']).next().unwrap_or_default();
        if !matches!(host, "localhost" | "127.0.0.1" | "[") {
            return bad("must start with https:// (http:// only for a provider on this machine)");
        }
        rest
    } else {
        return bad("must start with https://");
    };
    let host = rest.split('/').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return bad("needs a host name");
    }
    if issuer.contains(['?', '#', '@'])
        || issuer.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return bad("can't contain a query, a fragment, credentials or spaces");
    }
    Ok(issuer.to_string())
}

/// Checks a client id (1 to 255 characters, no spaces or control characters).
pub fn parse_client_id(typed: &str) -> Result<String, String> {
    let id = typed.trim();
    if id.is_empty()
        || id.len() > MAX_FIELD
        || id.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return Err("Client ID is required: 1 to 255 characters, without spaces.".to_string());
    }
    Ok(id.to_string())
}

/// Checks a client secret as typed: empty keeps the stored one (`None`).
pub fn parse_client_secret(typed: &str) -> Result<Option<String>, String> {
    let secret = typed.trim();
    if secret.is_empty() {
        return Ok(None);
    }
    if secret.len() > MAX_SECRET || secret.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("Client secret is at most 512 characters, without spaces.".to_string());
    }
    Ok(Some(secret.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issuer_is_https_or_a_local_http_provider() {
        assert_eq!(
            parse_issuer(" https://login.example.com/ "),
            Ok("https://login.example.com/".to_string())
        );
        assert!(parse_issuer("https://login.example.com/realms/acme").is_ok());
        assert!(parse_issuer("http://127.0.0.1:4400").is_ok());
        assert!(parse_issuer("http://localhost:4400").is_ok());
        for bad in [
            "",
            "login.example.com",
            "http://login.example.com",
            "https://",
            "https://:443",
            "https://login.example.com/?x=1",
            "https://user@login.example.com",
            "https://login.example.com/#a",
            "https://login example.com",
            "ftp://login.example.com",
        ] {
            assert!(parse_issuer(bad).is_err(), "{bad}");
        }
        assert!(parse_issuer(&format!("https://{}", "a".repeat(250))).is_err());
    }

    #[test]
    fn a_client_id_is_one_word() {
        assert_eq!(
            parse_client_id(" tokensmith "),
            Ok("tokensmith".to_string())
        );
        assert!(parse_client_id("").is_err());
        assert!(parse_client_id("two words").is_err());
    }

    #[test]
    fn an_empty_secret_keeps_the_stored_one() {
        assert_eq!(parse_client_secret("  "), Ok(None));
        assert_eq!(
            parse_client_secret("s3cret"),
            Ok(Some("s3cret".to_string()))
        );
        assert!(parse_client_secret("a b").is_err());
        assert!(parse_client_secret(&"x".repeat(513)).is_err());
    }

    #[test]
    fn debug_leaves_out_the_secret() {
        let settings = SsoSettings {
            issuer: "https://login.example.com".into(),
            client_id: "tokensmith".into(),
            client_secret: Some("hunter2-oidc".into()),
            create_users: false,
            default_role: Role::Analyst,
            required: false,
            break_glass_user_id: None,
        };
        assert!(!format!("{settings:?}").contains("hunter2"));
    }
}

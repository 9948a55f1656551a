//! `TOKENSMITH_PUBLIC_URL`: the origin people open the console at, which passkeys are
//! bound to.

use app::ssr::webauthn::{parse_public_url, RelyingParty};
use std::net::SocketAddr;
use std::sync::Arc;

/// The variable's name.
pub const PUBLIC_URL_VAR: &str = "TOKENSMITH_PUBLIC_URL";

/// Passkeys' relying party from the variable's value: set, it must be a usable origin (an
/// error names the variable); unset, `http://localhost:<port>` when the server listens on
/// a loopback address (development), and passkeys off otherwise: a server others reach
/// never guesses the address they use.
pub fn relying_party(
    value: Option<&str>,
    site_addr: SocketAddr,
) -> Result<Option<Arc<RelyingParty>>, String> {
    let url = match value.map(str::trim) {
        Some(value) if !value.is_empty() => parse_public_url(value)?,
        _ if site_addr.ip().is_loopback() => {
            parse_public_url(&format!("http://localhost:{}", site_addr.port()))?
        }
        _ => return Ok(None),
    };
    RelyingParty::new(&url).map(|party| Some(Arc::new(party)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(value: Option<&str>, addr: &str) -> Result<Option<String>, String> {
        let addr = addr.parse().map_err(|_| "bad test address".to_string())?;
        relying_party(value, addr).map(|party| party.map(|p| p.origin().to_string()))
    }

    #[test]
    fn unset_on_loopback_is_localhost_at_the_same_port() {
        assert_eq!(
            origin(None, "127.0.0.1:3000"),
            Ok(Some("http://localhost:3000".to_string()))
        );
    }

    #[test]
    fn unset_on_a_reachable_address_turns_passkeys_off() {
        assert_eq!(origin(None, "0.0.0.0:3000"), Ok(None));
        assert_eq!(origin(Some(" "), "10.1.2.3:3000"), Ok(None));
    }

    #[test]
    fn set_it_wins_and_a_bad_value_names_the_variable() {
        assert_eq!(
            origin(Some("https://console.example.com"), "0.0.0.0:3000"),
            Ok(Some("https://console.example.com".to_string()))
        );
        let error = origin(Some("http://console.example.com"), "0.0.0.0:3000").err();
        assert!(error.is_some_and(|e| e.contains(PUBLIC_URL_VAR)));
    }
}

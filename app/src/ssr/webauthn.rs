//! Passkeys' relying party: the server's half of WebAuthn ceremonies, bound to the one
//! origin the console is served from (`TOKENSMITH_PUBLIC_URL`).
//!
//! A ceremony takes two requests: its options (with a fresh challenge) and the browser's
//! answer. Between them the ceremony's state waits in the database under a random id the
//! browser holds, so any instance may take the answer; [`crate::ssr::db::passkeys`] keeps
//! it single-use and for 5 minutes at most.

use crate::error::AppError;
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
};

/// How long a ceremony's challenge lives, in seconds (what the browser is told, too).
pub const CHALLENGE_SECS: i64 = 300;

/// The console as a WebAuthn relying party.
pub struct RelyingParty {
    webauthn: Webauthn,
    origin: String,
}

/// What a ceremony's first request answers: the id of its waiting state, and the options
/// for `navigator.credentials` as JSON (WebAuthn Level 3's JSON form).
pub struct Ceremony {
    pub options: serde_json::Value,
    /// The state to keep until the answer, serialised.
    pub state: String,
}

impl RelyingParty {
    /// The relying party of the console at `public_url` (see [`parse_public_url`]).
    pub fn new(public_url: &Url) -> Result<Self, String> {
        let host = public_url
            .host_str()
            .ok_or_else(|| "TOKENSMITH_PUBLIC_URL has no host name".to_string())?;
        let webauthn = WebauthnBuilder::new(host, public_url)
            .and_then(|builder| builder.rp_name("Tokensmith").build())
            .map_err(|error| format!("TOKENSMITH_PUBLIC_URL can't serve passkeys: {error}"))?;
        Ok(Self {
            webauthn,
            origin: public_url.origin().ascii_serialization(),
        })
    }

    /// The origin passkeys work at, e.g. `https://console.example.com`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Options to create a passkey for the user whose handle is `handle`, excluding the
    /// credentials they already have. A discoverable credential is preferred, so that the
    /// passkey can also sign in alone.
    pub fn start_registration(
        &self,
        handle: Uuid,
        email: &str,
        name: &str,
        exclude: Vec<Vec<u8>>,
    ) -> Result<Ceremony, AppError> {
        let (options, state): (CreationChallengeResponse, PasskeyRegistration) = self
            .webauthn
            .start_passkey_registration(handle, email, name, Some(exclude))
            .map_err(internal)?;
        let mut ceremony = ceremony(options.public_key, &state)?;
        prefer_discoverable(&mut ceremony.options);
        Ok(ceremony)
    }

    /// Checks the browser's new credential against the registration's `state`.
    pub fn finish_registration(
        &self,
        credential: &RegisterPublicKeyCredential,
        state: &str,
    ) -> Option<Passkey> {
        let state: PasskeyRegistration = serde_json::from_str(state).ok()?;
        self.webauthn
            .finish_passkey_registration(credential, &state)
            .map_err(|error| tracing::info!(%error, "a passkey registration was refused"))
            .ok()
    }

    /// Options to sign in with any of the browser's passkeys for this site (discoverable
    /// credentials: no user named first).
    pub fn start_discoverable(&self) -> Result<Ceremony, AppError> {
        let (mut options, state) = self
            .webauthn
            .start_discoverable_authentication()
            .map_err(internal)?;
        // A button's request, not the autofill (conditional) kind.
        options.mediation = None;
        request_ceremony(options, &state)
    }

    /// Options to prove one of `passkeys` (a known user's).
    pub fn start_authentication(&self, passkeys: &[Passkey]) -> Result<Ceremony, AppError> {
        let (options, state) = self
            .webauthn
            .start_passkey_authentication(passkeys)
            .map_err(internal)?;
        request_ceremony(options, &state)
    }

    /// The user handle and credential id an answer to a discoverable request names; `None`
    /// for an answer that names no user.
    pub fn identify(credential: &PublicKeyCredential) -> Option<(Vec<u8>, Vec<u8>)> {
        let handle = credential.get_user_unique_id()?.to_vec();
        Some((handle, credential.get_credential_id().to_vec()))
    }

    /// Checks an answer to a request from [`Self::start_discoverable`] (`discoverable`) or
    /// [`Self::start_authentication`] against its `state` and the stored `passkey`; on
    /// success, the passkey with its signature counter and flags updated, to store.
    pub fn finish_authentication(
        &self,
        credential: &PublicKeyCredential,
        state: &str,
        discoverable: bool,
        mut passkey: Passkey,
    ) -> Option<Passkey> {
        let result = if discoverable {
            let state: DiscoverableAuthentication = serde_json::from_str(state).ok()?;
            self.webauthn
                .finish_discoverable_authentication_v2(credential, state, &passkey)
        } else {
            let state: PasskeyAuthentication = serde_json::from_str(state).ok()?;
            self.webauthn
                .finish_passkey_authentication(credential, &state)
        };
        let result = result
            .map_err(|error| tracing::info!(%error, "a passkey answer was refused"))
            .ok()?;
        if result.cred_id() != passkey.cred_id() {
            return None;
        }
        passkey.update_credential(&result);
        Some(passkey)
    }
}

/// Reads `TOKENSMITH_PUBLIC_URL`: the origin people open the console at. `https://`, or
/// `http://` on `localhost` for development; a host name, not an IP address (browsers refuse
/// an address as a passkey's relying party); no path, query or credentials.
pub fn parse_public_url(value: &str) -> Result<Url, String> {
    let problem = |why: &str| format!("TOKENSMITH_PUBLIC_URL={value:?} {why}");
    let url = Url::parse(value.trim()).map_err(|_| problem("is not a URL"))?;
    // `domain()` is a host name; an IP address has a host but no domain.
    let host = match (url.domain(), url.host_str()) {
        (Some(host), _) => host.to_ascii_lowercase(),
        (None, Some(_)) => {
            return Err(problem(
                "names an IP address: passkeys need a host name (localhost in development)",
            ))
        }
        (None, None) => return Err(problem("has no host name")),
    };
    let local = host == "localhost" || host.ends_with(".localhost");
    match url.scheme() {
        "https" => {}
        "http" if local => {}
        _ => {
            return Err(problem(
                "must start with https:// (http:// only on localhost)",
            ))
        }
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(problem(
            "must be an origin only, with no path, query or fragment",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem("must not carry a user name or password"));
    }
    Ok(url)
}

/// A random handle for a user's passkeys (the same for all of them).
pub fn new_user_handle() -> Uuid {
    Uuid::new_v4()
}

/// A resident (discoverable) key where the authenticator can keep one; still any passkey
/// where it can't (it then serves after the password).
fn prefer_discoverable(options: &mut serde_json::Value) {
    if let Some(selection) = options
        .get_mut("authenticatorSelection")
        .and_then(serde_json::Value::as_object_mut)
    {
        selection.insert("residentKey".into(), "preferred".into());
    }
}

fn request_ceremony<S: serde::Serialize>(
    options: RequestChallengeResponse,
    state: &S,
) -> Result<Ceremony, AppError> {
    ceremony(options.public_key, state)
}

fn ceremony<O: serde::Serialize, S: serde::Serialize>(
    options: O,
    state: &S,
) -> Result<Ceremony, AppError> {
    Ok(Ceremony {
        options: serde_json::to_value(options).map_err(internal)?,
        state: serde_json::to_string(state).map_err(internal)?,
    })
}

fn internal(error: impl std::fmt::Display) -> AppError {
    tracing::error!(%error, "a passkey ceremony could not start");
    AppError::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_and_localhost_origins_are_taken() {
        assert!(parse_public_url("https://console.example.com").is_ok());
        assert!(parse_public_url("https://console.example.com:8443/").is_ok());
        assert!(parse_public_url("http://localhost:3000").is_ok());
    }

    #[test]
    fn plain_http_away_from_localhost_is_refused() {
        let error = parse_public_url("http://console.example.com").err();
        assert!(error.is_some_and(|e| e.contains("https://")));
    }

    #[test]
    fn an_ip_address_is_refused() {
        for value in [
            "http://127.0.0.1:3000",
            "https://[::1]:3000",
            "https://10.0.0.1",
        ] {
            let error = parse_public_url(value).err();
            assert!(error.is_some_and(|e| e.contains("IP address")), "{value}");
        }
    }

    #[test]
    fn a_path_query_or_user_is_refused() {
        for value in [
            "https://example.com/console",
            "https://example.com/?a=b",
            "https://user:pw@example.com",
            "not a url",
        ] {
            assert!(parse_public_url(value).is_err(), "{value}");
        }
    }

    #[test]
    fn the_origin_is_what_browsers_compare() {
        let url = parse_public_url("http://localhost:3000/").ok();
        let party = url.as_ref().and_then(|url| RelyingParty::new(url).ok());
        assert_eq!(
            party.as_ref().map(RelyingParty::origin),
            Some("http://localhost:3000")
        );
    }

    #[test]
    fn registration_options_prefer_a_discoverable_key_and_ask_for_verification() {
        let url = parse_public_url("https://console.example.com").ok();
        let party = url.as_ref().and_then(|url| RelyingParty::new(url).ok());
        let ceremony = party.and_then(|party| {
            party
                .start_registration(new_user_handle(), "ana@acme.test", "Ana", Vec::new())
                .ok()
        });
        let options = ceremony.map(|c| c.options).unwrap_or_default();
        let selection = &options["authenticatorSelection"];
        assert_eq!(selection["residentKey"], "preferred");
        assert_eq!(selection["userVerification"], "required");
        assert_eq!(options["rp"]["id"], "console.example.com");
        assert!(options["challenge"].as_str().is_some_and(|c| c.len() >= 43));
    }
}

//! Each account's identity provider as a client: discovered (its endpoints and signing
//! keys) on first use and again after an hour, or at once when a token names a key the
//! client doesn't have (the provider rotated its keys).

use super::http_client::ProviderHttp;
use app::ssr::db::single_sign_on::SsoConfig;
use openidconnect::core::{CoreClient, CoreProviderMetadata};
use openidconnect::{
    ClientId, ClientSecret, EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, RedirectUrl,
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A provider's client, with every endpoint discovery gives.
pub type OidcClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long a discovery is trusted.
const FRESH: Duration = Duration::from_secs(60 * 60);
/// Providers remembered at once (one per account that uses single sign-on).
const MAX_CACHED: usize = 1_000;

/// The providers of every account, as this instance knows them.
pub struct Providers {
    /// `None`: the system's certificate roots could not be read (said at start).
    http: Option<ProviderHttp>,
    /// `{TOKENSMITH_PUBLIC_URL}/login/sso/callback`; `None`: single sign-on is off.
    redirect: Option<String>,
    cache: Mutex<HashMap<Key, (Arc<OidcClient>, Instant)>>,
}

/// A client is only reused for the same provider, client and secret.
type Key = (String, String, [u8; 32]);

/// Why a provider can't be used.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("single sign-on is off on this server: its operator sets TOKENSMITH_PUBLIC_URL")]
    Off,
    #[error("this server could not read the system's certificate roots")]
    NoRoots,
    #[error("the issuer URL is not a URL")]
    Issuer,
    #[error("the provider's discovery document could not be read ({0})")]
    Discovery(String),
}

impl Providers {
    /// The providers of a console at `public_origin` (`None`: single sign-on is off).
    pub fn new(public_origin: Option<&str>) -> Self {
        let http = ProviderHttp::new()
            .map_err(|error| tracing::warn!(%error, "no certificate roots: single sign-on is off"))
            .ok();
        Self {
            http,
            redirect: public_origin.map(|origin| format!("{origin}/login/sso/callback")),
            cache: Mutex::default(),
        }
    }

    /// The HTTP client for providers.
    pub fn http(&self) -> Result<&ProviderHttp, ProviderError> {
        self.http.as_ref().ok_or(ProviderError::NoRoots)
    }

    /// The client of `config`'s provider, discovered if need be.
    pub async fn client(&self, config: &SsoConfig) -> Result<Arc<OidcClient>, ProviderError> {
        let redirect = self.redirect.clone().ok_or(ProviderError::Off)?;
        let key = key(config);
        if let Some((client, at)) = self.lock().get(&key) {
            if at.elapsed() < FRESH {
                return Ok(client.clone());
            }
        }
        let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|_| ProviderError::Issuer)?;
        let metadata = CoreProviderMetadata::discover_async(issuer, self.http()?)
            .await
            .map_err(|error| ProviderError::Discovery(discovery_reason(&error)))?;
        let redirect = RedirectUrl::new(redirect).map_err(|_| ProviderError::Off)?;
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(config.client_id.clone()),
            Some(ClientSecret::new(config.client_secret.clone())),
        )
        .set_redirect_uri(redirect);
        let client = Arc::new(client);
        let mut cache = self.lock();
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(key, (client.clone(), Instant::now()));
        Ok(client)
    }

    /// Forgets `config`'s provider: the next sign-in discovers it again.
    pub fn forget(&self, config: &SsoConfig) {
        self.lock().remove(&key(config));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, (Arc<OidcClient>, Instant)>> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn key(config: &SsoConfig) -> Key {
    (
        config.issuer.clone(),
        config.client_id.clone(),
        app::ssr::sha256(&config.client_secret),
    )
}

/// A discovery failure in words an administrator can act on (never a secret: discovery
/// sends none).
fn discovery_reason<E: std::error::Error>(error: &openidconnect::DiscoveryError<E>) -> String {
    use openidconnect::DiscoveryError;
    match error {
        DiscoveryError::Request(inner) => inner.to_string(),
        DiscoveryError::Response(status, _, _) => format!("it answered HTTP {status}"),
        DiscoveryError::Parse(_) => "it is not a valid OpenID Connect document".to_string(),
        DiscoveryError::Validation(why) => why.clone(),
        DiscoveryError::UrlParse(_) => "its URL is not valid".to_string(),
        DiscoveryError::Other(why) => why.clone(),
        _ => "unexpected answer".to_string(),
    }
}

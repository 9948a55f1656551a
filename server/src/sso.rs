//! Single sign-on through an account's OpenID Connect provider (authorization code flow
//! with PKCE, `state` and `nonce`): the HTTP client and the providers' clients.

pub mod http_client;
pub mod provider;

//! Reading credentials without trusting them: shape and checksum first (no database work
//! for a malformed secret), then one lookup by the secret's hash. Shared answers too.

use super::ApiState;
use app::domain::{TokenSecret, TokenSid};
use app::ssr::credentials::hash_secret;
use app::ssr::db::token_auth::LiveToken;
use axum::extract::ConnectInfo;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::ToSchema;

/// The one message for every credential failure, whatever was wrong.
pub const BAD_CREDENTIALS: &str =
    "Invalid credentials: use HTTP Basic with your Token SID as the user name and your Auth Token as the password.";

/// The key rate limits count a client by: its IPv4 address or IPv6 /64.
pub fn client_key(connect: Option<&ConnectInfo<SocketAddr>>) -> String {
    crate::http::client_address::address_key(connect)
}

/// What a request's failures are counted against besides its address: the Token SID it
/// names in `Authorization: Basic`, or `-` when it names none.
pub fn credential_key(headers: &HeaderMap) -> String {
    let sid = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, encoded)| scheme.eq_ignore_ascii_case("basic") && encoded.len() <= 256)
        .and_then(|(_, encoded)| STANDARD.decode(encoded.trim()).ok())
        .and_then(|decoded| {
            let text = String::from_utf8(decoded).ok()?;
            let (sid, _) = text.split_once(':')?;
            TokenSid::parse(sid)
                .ok()
                .map(|sid| sid.as_str().to_string())
        });
    sid.unwrap_or_else(|| "-".to_string())
}

/// `Authorization: Basic base64(SID:secret)`, both well-formed; `None` for anything else.
pub fn parse_basic(headers: &HeaderMap) -> Option<(TokenSid, TokenSecret)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") || encoded.len() > 256 {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = std::str::from_utf8(&decoded).ok()?;
    let (sid, secret) = text.split_once(':')?;
    Some((TokenSid::parse(sid).ok()?, TokenSecret::parse(secret).ok()?))
}

/// The database could not be reached.
#[derive(Debug, Clone, Copy)]
pub struct Unavailable;

/// The live token holding `secret`: one indexed query, counted.
pub async fn lookup(
    state: &ApiState,
    secret: &TokenSecret,
) -> Result<Option<Arc<LiveToken>>, Unavailable> {
    #[cfg(feature = "test-hooks")]
    state
        .lookups
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    state
        .tokens
        .find(&state.pool, &hash_secret(secret))
        .await
        .map_err(|_| Unavailable)
}

/// Every refusal of the brand API, introspection and revocation.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"error": "Invalid credentials: use HTTP Basic with your Token SID as the user name and your Auth Token as the password.", "status": 401}))]
pub struct ApiError {
    /// What was wrong, in a sentence meant for the integrator.
    pub error: String,
    /// The HTTP status again.
    pub status: u16,
}

/// A JSON error answer.
pub fn error(status: StatusCode, message: &str) -> Response {
    let body = ApiError {
        error: message.to_string(),
        status: status.as_u16(),
    };
    (status, Json(body)).into_response()
}

/// 401 with the Basic challenge.
pub fn unauthorized() -> Response {
    let mut response = error(StatusCode::UNAUTHORIZED, BAD_CREDENTIALS);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static(r#"Basic realm="Tokensmith sandbox API""#),
    );
    response
}

/// 429 with `Retry-After`.
pub fn too_many(retry_after: u64) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        "Too many requests: slow down and retry later.",
    );
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

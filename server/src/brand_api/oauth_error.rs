//! The errors of the OAuth endpoints (introspection, RFC 7662; revocation, RFC 7009), in
//! the shape both take from RFC 6749 §5.2: an error code from a closed set a client can
//! branch on, and a sentence for the integrator.

use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong, as a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    /// A required field is missing or empty, or the body isn't a form.
    InvalidRequest,
    /// The caller's own credentials (the introspection key) are missing or wrong.
    InvalidClient,
    /// The `token_type_hint` names a kind of token Tokensmith doesn't issue.
    UnsupportedTokenType,
    /// Too many calls, or the database is unreachable: try again later.
    TemporarilyUnavailable,
}

/// An error answer of `/oauth/introspect` and `/oauth/revoke`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "invalid_request", "error_description": "The form field token is required."}))]
pub struct OAuthError {
    /// The code.
    pub error: OAuthErrorCode,
    /// What was wrong, in a sentence meant for the integrator.
    pub error_description: String,
}

/// The answer: `status` with the error as JSON, never cached (RFC 6749 §5.1).
pub fn oauth_error(status: StatusCode, error: OAuthErrorCode, description: &str) -> Response {
    let body = OAuthError {
        error,
        error_description: description.to_string(),
    };
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// 400 `invalid_request`.
pub fn invalid_request(description: &str) -> Response {
    oauth_error(
        StatusCode::BAD_REQUEST,
        OAuthErrorCode::InvalidRequest,
        description,
    )
}

/// 429 with `Retry-After`.
pub fn too_many(retry_after: u64) -> Response {
    let mut response = oauth_error(
        StatusCode::TOO_MANY_REQUESTS,
        OAuthErrorCode::TemporarilyUnavailable,
        "Too many requests: slow down and retry later.",
    );
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// 503: the database didn't answer.
pub fn unavailable() -> Response {
    oauth_error(
        StatusCode::SERVICE_UNAVAILABLE,
        OAuthErrorCode::TemporarilyUnavailable,
        "The database could not be reached; try again shortly.",
    )
}

/// The refusal of a `token_type_hint`, if any: absent or `access_token` is fine;
/// `refresh_token` names a kind of token Tokensmith never issues (400
/// `unsupported_token_type`); any other value is ignored, as RFC 7009 §2.1 allows.
pub fn refused_hint(hint: Option<&str>) -> Option<Response> {
    match hint.map(str::trim) {
        Some("refresh_token") => Some(oauth_error(
            StatusCode::BAD_REQUEST,
            OAuthErrorCode::UnsupportedTokenType,
            "Tokensmith issues access tokens only: there are no refresh tokens. Send the Auth Token with token_type_hint=access_token, or without a hint.",
        )),
        _ => None,
    }
}

//! How the passkey ceremonies answer: JSON the script shows as it is.

use app::error::AppError;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::header::{HeaderValue, LOCATION, RETRY_AFTER, SET_COOKIE};
use http::StatusCode;
use serde_json::json;

/// Passkeys are off on this server.
pub(super) const OFF: &str =
    "Passkeys are off on this server: its operator sets TOKENSMITH_PUBLIC_URL to \
                   the address the console is opened at.";

/// A refusal the page shows as it is.
pub(super) fn refuse(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

pub(super) fn from_error(error: AppError) -> Response {
    match error {
        AppError::ConfirmAccess => {
            let body = json!({
                "error": error.to_string(),
                "confirm_access": "/confirm-access?next=%2Fsettings%2Fsecurity",
            });
            (StatusCode::FORBIDDEN, Json(body)).into_response()
        }
        error => refuse(error.status(), error.to_string()),
    }
}

/// A refusal that says when to try again.
pub(super) fn refuse_for(
    status: StatusCode,
    message: impl Into<String>,
    retry_after: u64,
) -> Response {
    let mut response = refuse(status, message);
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(retry_after));
    response
}

/// A sign-in's redirect as the script takes it: `{"next": …}` with the same cookies. Any
/// other answer (the sign-in page again: the sign-in ended meanwhile) is a refusal.
pub(super) fn as_json(response: Response) -> Response {
    let (parts, _) = response.into_parts();
    let next = parts
        .headers
        .get(LOCATION)
        .and_then(|location| location.to_str().ok());
    let mut answer = match next {
        Some(next) if parts.status.is_redirection() => {
            Json(json!({ "next": next })).into_response()
        }
        _ => refuse(
            StatusCode::UNAUTHORIZED,
            "Your sign-in took too long or has ended. Sign in again.",
        ),
    };
    for cookie in parts.headers.get_all(SET_COOKIE) {
        answer.headers_mut().append(SET_COOKIE, cookie.clone());
    }
    answer
}

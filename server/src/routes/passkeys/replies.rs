//! How the passkey ceremonies answer: JSON the script shows as it is.

use app::error::AppError;
use app::ssr::state::AppState;
use app::ssr::webauthn::RelyingParty;
use axum::extract::rejection::JsonRejection;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::header::{LOCATION, SET_COOKIE};
use http::StatusCode;
use serde_json::json;
use std::sync::Arc;

/// Passkeys are off on this server.
const OFF: &str = "Passkeys are off on this server: its operator sets TOKENSMITH_PUBLIC_URL to \
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
    crate::routes::login::with_retry_after(refuse(status, message), retry_after)
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

/// The relying party and the request's JSON, or why not: passkeys off (404), or a body
/// that isn't the JSON object `expected` says (400).
pub(super) fn ready<T>(
    state: &AppState,
    body: Result<Json<T>, JsonRejection>,
    expected: &str,
) -> Result<(Arc<RelyingParty>, T), Box<Response>> {
    let Some(party) = state.passkeys.clone() else {
        return Err(Box::new(refuse(StatusCode::NOT_FOUND, OFF)));
    };
    match body {
        Ok(Json(body)) => Ok((party, body)),
        Err(_) => Err(Box::new(refuse(StatusCode::BAD_REQUEST, expected))),
    }
}

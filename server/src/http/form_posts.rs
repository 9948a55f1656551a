//! Server functions posted to by a plain HTML form (the **Enable API access** switch
//! without JavaScript). Leptos sends a successful post back to the page it came from; a
//! refused one would show the browser the error's JSON. Instead: a session that ended goes
//! to sign-in, and any other refusal answers its status with the error's words as text.

use app::error::AppError;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{self, HeaderValue};
use http::{Method, StatusCode};

/// Bodies of server-function errors are a few hundred bytes; one larger than this is not
/// read, and the answer gives the generic message.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

pub async fn explain_refusals(request: Request, next: Next) -> Response {
    let plain_form_post = request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    let response = next.run(request).await;
    if !plain_form_post
        || !(response.status().is_client_error() || response.status().is_server_error())
    {
        return response;
    }
    if response.status() == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    let (mut parts, body) = response.into_parts();
    let message = match to_bytes(body, ERROR_BODY_LIMIT).await {
        Ok(bytes) => serde_json::from_slice::<AppError>(&bytes)
            .map(|error| in_words(&error))
            .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned()),
        Err(_) => AppError::Internal.to_string(),
    };
    parts.headers.remove(header::LOCATION);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Response::from_parts(
        parts,
        Body::from(format!("{message}\n\nGo back to the page and try again.\n")),
    )
}

/// The error as a sentence: the fields' own messages when it names fields.
fn in_words(error: &AppError) -> String {
    let fields = error.field_errors();
    if fields.is_empty() {
        error.to_string()
    } else {
        fields
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

//! Server functions posted to by a plain HTML form (the **Enable API access** switch
//! without JavaScript). Leptos sends a successful post back to the page it came from; a
//! refused one would show the browser the error's JSON. Instead: a session that ended goes
//! to sign-in, sudo mode's refusal to **Confirm access** (and back to the page the form is
//! on), and any other refusal answers its status with the error's words as text.

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
    let back = request
        .headers()
        .get(header::REFERER)
        .and_then(|referer| referer_path(referer.as_bytes()));
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
        Ok(bytes) => match serde_json::from_slice::<AppError>(&bytes) {
            Ok(AppError::ConfirmAccess) => {
                let next = encode(back.as_deref().unwrap_or("/"));
                return Redirect::to(&format!("/confirm-access?next={next}")).into_response();
            }
            Ok(error) => in_words(&error),
            Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
        },
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

/// The path (and query) of a `Referer` header's URL, read from its bytes: what follows the
/// authority of `scheme://authority/…`, or a value that is a path already.
fn referer_path(referer: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(referer).ok()?;
    let path = match text.find("://") {
        Some(at) => {
            let rest = &text[at + 3..];
            &rest[rest.find('/')?..]
        }
        None => text,
    };
    let path = path.split('#').next()?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// `text` with everything but unreserved characters and `/` percent-encoded.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::{encode, referer_path};

    #[test]
    fn the_page_a_form_came_from_is_read_from_its_referer() {
        let path = |r: &str| referer_path(r.as_bytes());
        assert_eq!(
            path("http://127.0.0.1:3000/settings/api"),
            Some("/settings/api".into())
        );
        assert_eq!(
            path("https://x.test/settings/users?a=1#top"),
            Some("/settings/users?a=1".into())
        );
        assert_eq!(path("/settings/api"), Some("/settings/api".into()));
        assert_eq!(path("https://x.test"), None);
        assert_eq!(path("//evil.test/x"), None);
        assert_eq!(encode("/settings/users?a=1"), "/settings/users%3Fa%3D1");
    }
}

//! Every request's id, access log line and metrics.
//!
//! The id is the caller's `X-Request-Id` when it is a plain token (1–128 of
//! `A-Z a-z 0-9 . _ : -`), else a fresh random one; either way it is answered in
//! `X-Request-Id` and carried by every log line the request causes. The access line (target
//! `access`, level info) gives method, route pattern, path, status, latency, and the user
//! and Token SID when the request was for one — never a query string, header or body, so
//! never a secret.

use app::ssr::request_note::RequestNote;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use http::{HeaderValue, Method};
use std::time::Instant;
use tracing::Instrument;

/// The request id's header, read and answered.
pub const REQUEST_ID: &str = "x-request-id";

/// The id of the request being answered: the caller's, if usable, else a fresh one.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// The caller's id when it is usable as one.
pub fn usable_id(value: &HeaderValue) -> Option<&str> {
    let text = value.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-');
    (!text.is_empty() && text.len() <= 128 && text.chars().all(plain)).then_some(text)
}

/// The method as a metrics label and in the access line: one of the standard methods,
/// else `other`. Any token is a valid HTTP method, so the caller's own would make a new
/// series per request, each kept for the life of the process.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// A fresh id: 32 hex digits.
fn fresh_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// The middleware: ids, logs and counts the request.
pub async fn requests(mut request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(usable_id)
        .map_or_else(fresh_id, str::to_string);
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let method = method_label(request.method());
    let path = request.uri().path().to_string();
    let note = RequestNote::default();
    request.extensions_mut().insert(note.clone());
    request.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    let latency = started.elapsed();
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(
            target: "access",
            method = %method,
            route = %route,
            path = %path,
            status,
            latency_ms = latency.as_secs_f64() * 1000.0,
            user_id = note.user_id(),
            sid = note.token_sid().map(tracing::field::display),
            "request"
        );
    });
    metrics::counter!(
        "tokensmith_http_requests_total",
        "method" => method,
        "route" => route.clone(),
        "status" => status.to_string()
    )
    .increment(1);
    metrics::histogram!(
        "tokensmith_http_request_duration_seconds",
        "method" => method,
        "route" => route
    )
    .record(latency.as_secs_f64());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_outside_the_standard_set_are_one_label() {
        assert_eq!(method_label(&Method::DELETE), "DELETE");
        let made_up = Method::from_bytes(&[b'X'; 4096]).unwrap();
        assert_eq!(method_label(&made_up), "other");
        assert_eq!(method_label(&Method::from_bytes(b"get").unwrap()), "other");
    }

    #[test]
    fn keeps_plain_ids_and_replaces_anything_else() {
        let usable = |text: &str| usable_id(&HeaderValue::from_str(text).unwrap()).is_some();
        assert!(usable("3f2c9a1e-7b44-4c1a-9d0e-5a6b7c8d9e0f"));
        assert!(usable("req_01HZX.abc:42"));
        assert!(!usable(""));
        assert!(!usable(&"a".repeat(129)));
        assert!(usable(&"a".repeat(128)));
        for hostile in ["a b", "a\"b", "a\\b", "{\"x\":1}", "id\tx", "<script>"] {
            assert!(!usable(hostile), "{hostile}");
        }
        let fresh = fresh_id();
        assert_eq!(fresh.len(), 32);
        assert_ne!(fresh, fresh_id());
    }
}

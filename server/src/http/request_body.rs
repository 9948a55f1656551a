//! A request's body must arrive within [`BODY_TIME`] of its headers: a client that
//! trickles one (or sends none after announcing one) gets 408 and its connection closed,
//! instead of holding a connection slot until the request's deadline. Bodies are at most
//! [`BODY_LIMIT`], so they are read here whole and handed on as bytes.

use crate::config::BODY_LIMIT;
use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use http_body::Body as _;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use std::time::Duration;

/// How long a body may take to arrive, counted from when its headers did.
pub const BODY_TIME: Duration = Duration::from_secs(10);

/// The middleware.
pub async fn read_in_time(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok()?.parse::<u64>().ok());
    // No body, or one announced too large (the body limit answers 413 without reading it).
    if body.is_end_stream() || declared.is_some_and(|length| length > BODY_LIMIT as u64) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    match tokio::time::timeout(BODY_TIME, Limited::new(body, BODY_LIMIT).collect()).await {
        Ok(Ok(collected)) => {
            let body = Body::from(collected.to_bytes());
            next.run(Request::from_parts(parts, body)).await
        }
        Ok(Err(error)) if error.is::<LengthLimitError>() => {
            StatusCode::PAYLOAD_TOO_LARGE.into_response()
        }
        Ok(Err(_)) => (
            StatusCode::BAD_REQUEST,
            "The request body could not be read.",
        )
            .into_response(),
        Err(_) => {
            let mut response = (
                StatusCode::REQUEST_TIMEOUT,
                "The request body did not arrive in time: send it within 10 seconds of the headers.",
            )
                .into_response();
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use axum::Router;
    use bytes::Bytes;
    use futures_util::StreamExt;
    use tower::ServiceExt;

    fn app() -> Router {
        Router::new()
            .route("/echo", post(|body: Bytes| async move { body }))
            .layer(axum::middleware::from_fn(read_in_time))
    }

    /// A body that sends `first` and then nothing more, ever.
    fn stalling(first: &'static [u8]) -> Body {
        let chunks =
            futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(first))])
                .chain(futures_util::stream::pending());
        Body::from_stream(chunks)
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_stalls_gets_408_and_a_closed_connection() {
        let started = tokio::time::Instant::now();
        let request = Request::post("/echo").body(stalling(b"email=adm")).unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(response.headers()[header::CONNECTION], "close");
        assert_eq!(started.elapsed(), BODY_TIME);
    }

    #[tokio::test]
    async fn a_whole_body_is_handed_on_and_a_long_one_refused() {
        let request = Request::post("/echo").body(Body::from("hello")).unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"hello");
        let long = futures_util::stream::iter(
            (0..70).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; 1024]))),
        );
        let request = Request::post("/echo")
            .body(Body::from_stream(long))
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}

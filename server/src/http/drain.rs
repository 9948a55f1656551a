//! Reads what a request's body still holds after an early answer (404, 401, 403, 413, 415
//! …), up to a bound, before the answer goes out.
//!
//! A server that answers and closes without reading the body leaves bytes unread in its
//! socket, and the kernel then resets the connection: a reverse proxy still sending that
//! body (nginx) sees the reset and gives its client 502 instead of the answer. Draining a
//! bounded amount lets the connection end cleanly; a body past the bound, or one that stalls,
//! gets `Connection: close` and is left unread.

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use http::header;
use http_body::{Body as _, Frame, SizeHint};
use http_body_util::BodyExt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

/// At most this much is read after an answer: nginx's default `client_max_body_size`.
pub const DRAIN_LIMIT: u64 = 1024 * 1024;

/// And for at most this long: a proxy forwards a body at network speed; a client that
/// trickles one gets its answer with the connection closed instead.
pub const DRAIN_TIME: Duration = Duration::from_secs(1);

/// The middleware.
pub async fn unread_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| std::str::from_utf8(v.as_bytes()).ok()?.parse::<u64>().ok());
    let shared = Shared(Arc::new(Mutex::new(body)));
    let mut response = next
        .run(Request::from_parts(parts, Body::new(shared.clone())))
        .await;
    let body = std::mem::replace(&mut *shared.lock(), Body::empty());
    // Nothing left, or an answer that closes the connection anyway (a body too slow).
    if body.is_end_stream() || response.headers().contains_key(header::CONNECTION) {
        return response;
    }
    // Out of time already (408): the client is slow, waiting for more helps nobody.
    if response.status() == http::StatusCode::REQUEST_TIMEOUT {
        response
            .headers_mut()
            .insert(header::CONNECTION, http::HeaderValue::from_static("close"));
        return response;
    }
    let drained = declared.is_none_or(|length| length <= DRAIN_LIMIT)
        && tokio::time::timeout(DRAIN_TIME, drain(body))
            .await
            .unwrap_or(false);
    if !drained {
        response
            .headers_mut()
            .insert(header::CONNECTION, http::HeaderValue::from_static("close"));
    }
    response
}

/// Reads `body` to its end; false if it ends in an error or passes the limit.
async fn drain(mut body: Body) -> bool {
    let mut read = 0u64;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { return false };
        if let Some(data) = frame.data_ref() {
            read += data.len() as u64;
            if read > DRAIN_LIMIT {
                return false;
            }
        }
    }
    true
}

/// The request's body, shared with this middleware so it can read what the handler left.
#[derive(Clone)]
struct Shared(Arc<Mutex<Body>>);

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Body> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl http_body::Body for Shared {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        Pin::new(&mut *self.lock()).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.lock().is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.lock().size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::post;
    use axum::Router;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tower::ServiceExt;

    /// A body of `chunks` chunks of 1 KiB that counts how many were read.
    fn counted(chunks: usize, read: Arc<AtomicUsize>) -> Body {
        let stream = futures_util::stream::iter((0..chunks).map(move |_| {
            read.fetch_add(1, Ordering::SeqCst);
            Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; 1024]))
        }));
        Body::from_stream(stream)
    }

    fn app() -> Router {
        Router::new()
            .route(
                "/read",
                post(|body: Bytes| async move { body.len().to_string() }),
            )
            .fallback(|| async { (http::StatusCode::NOT_FOUND, "nothing here") })
            .layer(axum::middleware::from_fn(unread_body))
    }

    #[tokio::test]
    async fn an_early_answer_reads_the_rest_of_the_body_first() {
        let read = Arc::new(AtomicUsize::new(0));
        let request = Request::post("/nope")
            .body(counted(60, read.clone()))
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), http::StatusCode::NOT_FOUND);
        assert_eq!(read.load(Ordering::SeqCst), 60);
        assert!(response.headers().get(header::CONNECTION).is_none());
    }

    #[tokio::test]
    async fn a_body_past_the_bound_is_left_and_the_connection_closed() {
        let read = Arc::new(AtomicUsize::new(0));
        let request = Request::post("/nope")
            .body(counted(2048, read.clone()))
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), http::StatusCode::NOT_FOUND);
        assert!(read.load(Ordering::SeqCst) <= 1025);
        assert_eq!(response.headers()[header::CONNECTION], "close");
        let declared = Request::post("/nope")
            .header(header::CONTENT_LENGTH, "5000000")
            .body(counted(4, read.clone()))
            .unwrap();
        let response = app().oneshot(declared).await.unwrap();
        assert_eq!(response.headers()[header::CONNECTION], "close");
    }

    #[tokio::test]
    async fn a_handler_that_reads_its_body_is_untouched() {
        let read = Arc::new(AtomicUsize::new(0));
        let request = Request::post("/read")
            .body(counted(3, read.clone()))
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), http::StatusCode::OK);
        let text = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&text[..], b"3072");
        assert_eq!(read.load(Ordering::SeqCst), 3);
    }
}

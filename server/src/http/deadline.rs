//! A deadline for the whole response. The timeout layer answers 408 when a response's head
//! is late; this one also cuts a body that is still streaming when the request's time is
//! up, so no response can hold a connection forever.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

/// When the request's response must be complete, for handlers that stream (they end their
/// body in good order before it, instead of being cut).
#[derive(Debug, Clone, Copy)]
pub struct Deadline(pub Instant);

/// Ends the response body with an error (the connection is closed, the client sees a
/// truncated response) if it is not complete `limit` after the request arrived.
pub async fn bound_body(
    State(limit): State<Duration>,
    mut request: Request,
    next: Next,
) -> Response {
    let mut deadline = Instant::now() + limit;
    // An earlier deadline already set (by a test, or an outer layer) stands.
    if let Some(Deadline(earlier)) = request.extensions().get::<Deadline>() {
        deadline = deadline.min(*earlier);
    }
    request.extensions_mut().insert(Deadline(deadline));
    let path = request.uri().path().to_string();
    next.run(request).await.map(|inner| {
        Body::new(Bounded {
            inner,
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            path,
        })
    })
}

struct Bounded {
    inner: Body,
    deadline: Pin<Box<Sleep>>,
    path: String,
}

impl http_body::Body for Bounded {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame);
        }
        if this.deadline.as_mut().poll(cx).is_ready() {
            tracing::warn!(path = %this.path, "response body not finished by its deadline: cut");
            return Poll::Ready(Some(Err(axum::Error::new("response deadline passed"))));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use axum::Router;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    fn app(limit: Duration) -> Router {
        Router::new()
            .route(
                "/stall",
                get(|| async {
                    let chunks = futures_chunks();
                    Body::from_stream(chunks)
                }),
            )
            .route("/quick", get(|| async { "done" }))
            .layer(axum::middleware::from_fn_with_state(limit, bound_body))
    }

    /// One chunk at once, then nothing, ever.
    fn futures_chunks() -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
        let mut sent = false;
        futures_util::stream::poll_fn(move |_| {
            if sent {
                Poll::Pending
            } else {
                sent = true;
                Poll::Ready(Some(Ok(Bytes::from_static(b"first"))))
            }
        })
    }

    #[tokio::test]
    async fn a_stalled_body_is_cut_at_the_deadline() {
        let request = Request::get("/stall").body(Body::empty()).unwrap();
        let response = app(Duration::from_millis(200))
            .oneshot(request)
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let outcome = tokio::time::timeout(Duration::from_secs(5), response.into_body().collect())
            .await
            .expect("the body ends by itself");
        assert!(outcome.is_err(), "a cut body ends with an error");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[tokio::test]
    async fn a_finished_body_is_untouched() {
        let request = Request::get("/quick").body(Body::empty()).unwrap();
        let response = app(Duration::from_secs(5)).oneshot(request).await.unwrap();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], b"done");
    }
}

//! A webhook receiver for the router tests: a real HTTP server on a loopback port that
//! records each request and answers the status it is told to, after an optional pause,
//! counting how many requests it is answering at once.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::sync::atomic::{AtomicU16, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One request received.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub body: String,
}

#[derive(Default)]
struct Inner {
    received: Mutex<Vec<Received>>,
    status: AtomicU16,
    pause_ms: AtomicU64,
    now: AtomicUsize,
    most: AtomicUsize,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    inner: Arc<Inner>,
    pub url: String,
}

impl Receiver {
    /// Starts one answering 200 at `http://127.0.0.1:{port}/hook`.
    pub async fn start() -> Self {
        let inner = Arc::new(Inner::default());
        inner.status.store(200, Ordering::SeqCst);
        let router = axum::Router::new()
            .route("/hook", axum::routing::post(receive))
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self { inner, url }
    }

    /// Answers `status` from now on.
    pub fn answer(&self, status: u16) {
        self.inner.status.store(status, Ordering::SeqCst);
    }

    /// Waits `ms` before each answer.
    pub fn pause(&self, ms: u64) {
        self.inner.pause_ms.store(ms, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.received.lock().unwrap().clone()
    }

    /// The most requests it was answering at once.
    pub fn most_at_once(&self) -> usize {
        self.inner.most.load(Ordering::SeqCst)
    }
}

async fn receive(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let at_once = inner.now.fetch_add(1, Ordering::SeqCst) + 1;
    inner.most.fetch_max(at_once, Ordering::SeqCst);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    inner.received.lock().unwrap().push(Received {
        id: header("webhook-id"),
        timestamp: header("webhook-timestamp").parse().unwrap_or_default(),
        signature: header("webhook-signature"),
        body: String::from_utf8_lossy(&body).into_owned(),
    });
    let pause = inner.pause_ms.load(Ordering::SeqCst);
    if pause > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
    }
    inner.now.fetch_sub(1, Ordering::SeqCst);
    StatusCode::from_u16(inner.status.load(Ordering::SeqCst)).unwrap()
}

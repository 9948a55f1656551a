//! Serving connections with bounds that slow or idle clients cannot outlast: a cap on open
//! connections, a deadline for a request's headers (which is also how long an idle
//! keep-alive connection may stay open), and a graceful stop that finishes the requests in
//! flight up to a grace period.

use crate::http::client_address::{address_key, TrustedProxies};
use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// How long and how many.
#[derive(Debug, Clone, Copy)]
pub struct ServeLimits {
    /// Time a client has to send a request's headers; also the idle keep-alive timeout.
    pub header_timeout: Duration,
    /// Connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// Connections open at once from one client address (an IPv4 address, an IPv6 /64);
    /// more are closed at once. Trusted proxies have no such cap.
    pub max_per_address: usize,
    /// After the stop signal, how long requests in flight may take to finish.
    pub shutdown_grace: Duration,
}

impl Default for ServeLimits {
    fn default() -> Self {
        Self {
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_per_address: 128,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Serves `router` on `listener` until `stop` resolves, then stops accepting, lets the
/// requests in flight finish (at most `shutdown_grace`) and returns. Connections from
/// `trusted` proxies are not capped per address.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ServeLimits,
    trusted: TrustedProxies,
    stop: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = PerAddress::new(limits.max_per_address, trusted);
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            biased;
            () = &mut stop => break,
            accepted = accept(&listener, &permits) => accepted,
        };
        let Some((tcp, remote, permit)) = accepted else {
            continue;
        };
        let Some(held) = per_address.open(remote.ip()) else {
            // Closed at once: one client can't hold the slots everyone shares.
            drop(tcp);
            continue;
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            router.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(tcp), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%remote, %error, "connection ended with an error");
            }
            drop(permit);
            drop(held);
        });
    }
    drop(listener);
    tracing::info!(
        open = graceful.count(),
        "stopped accepting; finishing the requests in flight"
    );
    if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(grace = ?limits.shutdown_grace, "requests still in flight were cut");
    }
}

/// Open connections per client address.
#[derive(Clone)]
struct PerAddress {
    cap: usize,
    trusted: TrustedProxies,
    open: Arc<Mutex<HashMap<String, usize>>>,
    /// When a refusal was last logged (Unix seconds): at most one line a minute.
    warned: Arc<std::sync::atomic::AtomicI64>,
}

/// One open connection of an address; dropped when the connection ends.
struct Held {
    key: Option<String>,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl PerAddress {
    fn new(cap: usize, trusted: TrustedProxies) -> Self {
        Self {
            cap: cap.max(1),
            trusted,
            open: Arc::default(),
            warned: Arc::default(),
        }
    }

    /// Counts a new connection from `ip`; `None` when the address is at its cap.
    fn open(&self, ip: IpAddr) -> Option<Held> {
        if self.trusted.trusts(ip) {
            return Some(Held {
                key: None,
                open: self.open.clone(),
            });
        }
        let key = address_key(Some(&ConnectInfo(SocketAddr::new(ip, 0))));
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(key.clone()).or_insert(0);
        if *count >= self.cap {
            let now = app::ssr::now();
            let last = self.warned.load(std::sync::atomic::Ordering::Relaxed);
            if now - last < 60 {
                return None;
            }
            self.warned.store(now, std::sync::atomic::Ordering::Relaxed);
            tracing::warn!(
                client = %key,
                cap = self.cap,
                "connection refused: the address has as many open as it may \
                 (a reverse proxy? name it in TOKENSMITH_TRUSTED_PROXIES)"
            );
            return None;
        }
        *count += 1;
        Some(Held {
            key: Some(key),
            open: self.open.clone(),
        })
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let Some(key) = &self.key else { return };
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(key) {
            *count -= 1;
            if *count == 0 {
                open.remove(key);
            }
        }
    }
}

/// Waits for a free connection slot, then for a connection.
async fn accept(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
) -> Option<(TcpStream, SocketAddr, OwnedSemaphorePermit)> {
    let permit = permits.clone().acquire_owned().await.ok()?;
    match listener.accept().await {
        Ok((tcp, remote)) => {
            // Nagle would hold small responses until the peer's ACK.
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "could not set TCP_NODELAY");
            }
            Some((tcp, remote, permit))
        }
        Err(error) => {
            // Out of file descriptors and the like: back off instead of spinning.
            tracing::warn!(%error, "could not accept a connection");
            tokio::time::sleep(Duration::from_millis(50)).await;
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_holds_at_most_its_cap_and_proxies_none() {
        let per = PerAddress::new(2, TrustedProxies::parse("10.0.0.1").unwrap());
        let client: IpAddr = "192.0.2.7".parse().unwrap();
        let first = per.open(client).unwrap();
        let _second = per.open(client).unwrap();
        assert!(per.open(client).is_none(), "a third is refused");
        // Another host of the same IPv6 /64 counts as the same client.
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let b: IpAddr = "2001:db8::2".parse().unwrap();
        let _a = per.open(a).unwrap();
        let _b = per.open(b).unwrap();
        assert!(per.open(a).is_none());
        assert!(per.open("192.0.2.8".parse().unwrap()).is_some());
        drop(first);
        assert!(
            per.open(client).is_some(),
            "a closed connection frees its place"
        );
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let held: Vec<_> = (0..10).map(|_| per.open(proxy).unwrap()).collect();
        assert_eq!(held.len(), 10);
    }
}

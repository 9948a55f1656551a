//! The HTTP client webhooks are sent with. Every address a host name resolves to is
//! checked before it is connected to (the address checked is the address connected to:
//! a name that resolves to a refused address is never reached, whatever it resolves to
//! later); an address written in the URL is checked the same way. No redirect is
//! followed, an attempt ends after 10 seconds, and at most 4 KiB of an answer is read.

use app::domain::webhook::EndpointUrl;
use app::domain::webhook_address::Reach;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::dns::Name;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// The longest attempt, connecting included.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// The most of an answer read.
const MAX_READ: usize = 4096;

/// A resolver that keeps only the addresses webhooks may reach.
#[derive(Clone)]
struct Guard {
    reach: Reach,
    https: bool,
}

impl tower::Service<Name> for Guard {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let guard = self.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            guard.keep(&host, found).map(Vec::into_iter)
        })
    }
}

impl Guard {
    /// The addresses of `found` that may be reached; an error naming why when none may.
    fn keep(&self, host: &str, found: Vec<SocketAddr>) -> std::io::Result<Vec<SocketAddr>> {
        let mut refused = None;
        let kept: Vec<SocketAddr> = found
            .into_iter()
            .filter(|addr| match self.reach.check(addr.ip(), self.https) {
                Ok(()) => true,
                Err(why) => {
                    refused = Some(why);
                    false
                }
            })
            .collect();
        match (kept.is_empty(), refused) {
            (false, _) => Ok(kept),
            (true, Some(why)) => Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!("{host} resolves to {why}, which webhooks may not reach"),
            )),
            (true, None) => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{host} has no address"),
            )),
        }
    }
}

/// Sends webhooks.
#[derive(Clone)]
pub struct WebhookClient {
    https: Client<HttpsConnector<HttpConnector<Guard>>, Full<Bytes>>,
    http: Client<HttpConnector<Guard>, Full<Bytes>>,
    reach: Reach,
}

/// An endpoint's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// Its first bytes.
    pub head: Vec<u8>,
}

impl WebhookClient {
    /// A client trusting the system's certificate roots, reaching what `reach` allows.
    pub fn new(reach: Reach) -> std::io::Result<Self> {
        let connector = |https: bool| {
            let mut connector = HttpConnector::new_with_resolver(Guard {
                reach: reach.clone(),
                https,
            });
            connector.enforce_http(!https);
            connector.set_connect_timeout(Some(TIMEOUT));
            connector
        };
        let tls = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()?
            .https_only()
            .enable_http1()
            .wrap_connector(connector(true));
        let builder = Client::builder(TokioExecutor::new());
        Ok(Self {
            https: builder.build(tls),
            http: builder.build(connector(false)),
            reach,
        })
    }

    /// Whether `url` may be sent to at all: its scheme, and the address written in it.
    pub fn check_url(&self, url: &str) -> Result<EndpointUrl, String> {
        let url = app::domain::webhook::check_url(url, self.reach.allows_private())?;
        if let Ok(ip) = url.host.parse::<IpAddr>() {
            self.reach
                .check(ip, url.https)
                .map_err(|why| format!("{} is {why}, which webhooks may not reach", url.host))?;
        }
        Ok(url)
    }

    /// POSTs `body` to `url` with `headers`; the answer, or why there is none.
    pub async fn post(
        &self,
        url: &str,
        headers: &[(&'static str, String)],
        body: Vec<u8>,
    ) -> Result<Answer, String> {
        let checked = self.check_url(url)?;
        let mut request = http::Request::post(checked.text.as_str())
            .header(http::header::CONTENT_TYPE, "application/json")
            .header(http::header::USER_AGENT, "Tokensmith-Webhooks/1");
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        let request = request
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| format!("the request could not be built: {e}"))?;
        let exchange = async {
            let response = if checked.https {
                self.https.request(request).await
            } else {
                self.http.request(request).await
            }
            .map_err(|e| chain(&e))?;
            let status = response.status().as_u16();
            let mut body = response.into_body();
            let mut head = Vec::new();
            while head.len() < MAX_READ {
                match body.frame().await {
                    Some(Ok(frame)) => {
                        if let Ok(data) = frame.into_data() {
                            head.extend_from_slice(&data);
                        }
                    }
                    _ => break,
                }
            }
            head.truncate(MAX_READ);
            Ok(Answer { status, head })
        };
        tokio::time::timeout(TIMEOUT, exchange)
            .await
            .map_err(|_| "no answer within 10 seconds".to_string())?
    }
}

/// An error and its causes, as one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reachable_addresses_are_kept() {
        let guard = Guard {
            reach: Reach::default(),
            https: true,
        };
        let addr = |text: &str| SocketAddr::new(text.parse().unwrap(), 0);
        let kept = guard
            .keep("mixed.test", vec![addr("127.0.0.1"), addr("93.184.215.14")])
            .unwrap();
        assert_eq!(kept, [addr("93.184.215.14")]);
        let refused = guard
            .keep("metadata.test", vec![addr("169.254.169.254")])
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            "metadata.test resolves to a cloud metadata address, which webhooks may not reach"
        );
    }
}

//! The HTTP client single sign-on talks to identity providers with: HTTPS with the
//! system's roots (plain HTTP only to a loopback provider), no redirect ever followed
//! (a provider's answer is its answer), 10 seconds and 1 MiB at most per exchange.

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use openidconnect::{HttpRequest, HttpResponse};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The longest exchange with a provider.
const TIMEOUT: Duration = Duration::from_secs(10);
/// The largest answer read from a provider.
const MAX_BODY: usize = 1 << 20;

/// A client for identity providers.
#[derive(Clone)]
pub struct ProviderHttp {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
}

/// Why an exchange with a provider failed.
#[derive(Debug, thiserror::Error)]
pub enum ProviderHttpError {
    #[error("the provider could not be reached: {0}")]
    Request(#[from] hyper_util::client::legacy::Error),
    #[error("the provider's answer could not be read (or is over 1 MiB)")]
    Body,
    #[error("the provider did not answer within 10 seconds")]
    Timeout,
    #[error("plain http is only for a provider on this machine")]
    NotLocal,
}

impl ProviderHttp {
    /// A client trusting the system's certificate roots.
    pub fn new() -> std::io::Result<Self> {
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_native_roots()?
            .https_or_http()
            .enable_http1()
            .build();
        Ok(Self {
            client: Client::builder(TokioExecutor::new()).build(connector),
        })
    }

    async fn exchange(&self, request: HttpRequest) -> Result<HttpResponse, ProviderHttpError> {
        let uri = request.uri();
        if uri.scheme_str() == Some("http") && !is_loopback(uri.host().unwrap_or_default()) {
            return Err(ProviderHttpError::NotLocal);
        }
        let request = request.map(|body| Full::new(Bytes::from(body)));
        let work = async {
            let (parts, body) = self.client.request(request).await?.into_parts();
            let body = Limited::new(body, MAX_BODY)
                .collect()
                .await
                .map_err(|_| ProviderHttpError::Body)?
                .to_bytes();
            Ok(http::Response::from_parts(parts, body.to_vec()))
        };
        tokio::time::timeout(TIMEOUT, work)
            .await
            .map_err(|_| ProviderHttpError::Timeout)?
    }
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "::1")
}

impl<'c> openidconnect::AsyncHttpClient<'c> for ProviderHttp {
    type Error = ProviderHttpError;
    type Future =
        Pin<Box<dyn Future<Output = Result<HttpResponse, ProviderHttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.exchange(request))
    }
}

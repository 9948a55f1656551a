//! A real OpenID provider for the router tests: `end2end/oidc/test-provider.mjs` (npm
//! `oidc-provider`, installed by scripts/test's `npm ci`), one process per test on a port
//! of its own, and a browser's part of the flow (its redirects and cookies) over plain HTTP.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The client secret the provider issued for Tokensmith.
pub const CLIENT_SECRET: &str = "oidc-client-secret-for-tests";

pub struct TestProvider {
    child: Child,
    pub issuer: String,
}

impl TestProvider {
    /// Starts a provider whose client redirects to the router tests' public origin.
    pub async fn start() -> Self {
        let port = free_port();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end");
        let redirect = format!("{}/login/sso/callback", super::harness::PUBLIC_URL);
        let child = Command::new("node")
            .arg("oidc/test-provider.mjs")
            .current_dir(&root)
            .env("OIDC_PORT", port.to_string())
            .env("OIDC_REDIRECT_URIS", redirect)
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs end2end/oidc/test-provider.mjs (scripts/test installs it)");
        let provider = Self {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        };
        let discovery = format!("{}/.well-known/openid-configuration", provider.issuer);
        for _ in 0..100 {
            if get(&discovery, &[])
                .await
                .is_some_and(|(status, ..)| status == 200)
            {
                return provider;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the test provider did not start within 10 s (is end2end/node_modules installed?)");
    }

    /// The account the provider signs in from now on, and how its next ID tokens lie.
    pub async fn act_as(&self, account: &str, mischief: &str) {
        let login = format!("{}/__test/login-as?account={account}", self.issuer);
        let lie = format!("{}/__test/mischief?kind={mischief}", self.issuer);
        assert!(get(&login, &[]).await.is_some());
        assert!(get(&lie, &[]).await.is_some());
    }

    /// Follows the provider's redirects from `authorize` (with its cookies) to where it
    /// sends the browser back: the callback's path and query.
    pub async fn sign_in(&self, authorize: &str) -> String {
        let mut url = authorize.to_string();
        let mut cookies: Vec<String> = Vec::new();
        for _ in 0..10 {
            let (status, location, set) = get(&url, &cookies).await.expect("the provider answers");
            for cookie in set {
                let name = cookie.split('=').next().unwrap_or_default().to_string();
                cookies.retain(|c| !c.starts_with(&format!("{name}=")));
                cookies.push(cookie);
            }
            assert!((300..400).contains(&status), "{url} answered {status}");
            let location = location.expect("a redirect has a Location");
            let next = if location.starts_with('/') {
                format!("{}{location}", self.issuer)
            } else {
                location
            };
            if let Some(back) = next.strip_prefix(super::harness::PUBLIC_URL) {
                return back.to_string();
            }
            url = next;
        }
        panic!("the provider never sent the browser back");
    }
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A GET with `cookies`: its status, `Location` and the `name=value` of each `Set-Cookie`.
async fn get(url: &str, cookies: &[String]) -> Option<(u16, Option<String>, Vec<String>)> {
    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let mut request = http::Request::get(url);
    if !cookies.is_empty() {
        request = request.header(http::header::COOKIE, cookies.join("; "));
    }
    let response = client
        .request(request.body(Empty::new()).ok()?)
        .await
        .ok()?;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(http::header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .map(str::to_string);
    let set = response
        .headers()
        .get_all(http::header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok()?.split(';').next().map(str::to_string))
        .collect();
    let _ = response.into_body().collect().await;
    Some((status, location, set))
}

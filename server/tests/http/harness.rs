//! A fresh database with the demo seeded, the real router, and helpers to call it.
//!
//! Tests run in parallel threads. Two hangs that once made them run one at a time are
//! fixed: the route list is generated once per process (`server::http::router::route_list`), so
//! building one test's router can't stall another test's page; and a server function holds
//! its page's reactive owners while it runs (`app::ssr::response::respond`), so a 403 page
//! can't deadlock a worker thread. Every exchange is still bounded: a hang fails in 60 s.
//!
//! Every test is also a secret scan: the harness captures all logs (at debug level), notes
//! every secret a response issues, every password a request sends and every session id,
//! and when the test's app is dropped checks that none of them is in the logs written
//! meanwhile, in the database file or in its WAL.

use app::ssr::{db, state::AppState};
use axum::body::Body;
use axum::Router;
use http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use std::time::Duration;
use tower::ServiceExt;

#[allow(unused_imports)] // Not every test binary uses every helper.
pub use super::harness_tokens::{basic, error_fields, names, Made};

pub const PASSWORD: &str = "demo-password-for-tests";
pub const ADMIN: &str = "admin@acme.test";
pub const SPECIALIST: &str = "specialist@acme.test";
pub const ANALYST: &str = "analyst@acme.test";
pub const FINANCE: &str = "finance@acme.test";
pub const HOST: &str = "127.0.0.1:3000";
pub const INTROSPECTION_KEY: &str = "introspection-key-for-tests";
/// The origin passkeys are bound to in these tests.
pub const PUBLIC_URL: &str = "https://console.tokensmith.test";
/// The brand API's limits in every test's app (tests that reach them count from here).
pub const LIMITS: server::brand_api::Limits = server::brand_api::Limits {
    auth_failures_per_minute: 20,
    introspections_per_minute: 50,
    revocations_per_minute: 20,
    reports_per_minute: 20,
};
/// The identifier of the key every test app trusts for GitHub's secret-scanning reports.
pub const SCANNING_KEY_ID: &str = "test-scanning-key";
/// The developer email of every token [`TestApp::make_token`] makes.
pub const DEVELOPER: &str = "dev@partner.test";

pub struct TestApp {
    pub router: Router,
    pub pool: app::ssr::db::Db,
    pub outbox: app::ssr::state::Outbox,
    pub api: server::brand_api::ApiState,
    /// The router's sign-in guard (its hash slots, for a test that takes them all).
    pub sign_in: app::ssr::sign_in_guard::SignInGuard,
    /// The private half of the key pair this app trusts for GitHub's reports, made for it.
    pub scanning_key: p256::ecdsa::SigningKey,
    secrets: super::secret_scan::Secrets,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }
}

/// How a test's app differs from the demo's defaults.
struct Setup {
    mail_configured: bool,
    introspection_key: Option<&'static str>,
    trusted_proxies: String,
    secure_cookies: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            mail_configured: false,
            introspection_key: Some(INTROSPECTION_KEY),
            trusted_proxies: String::new(),
            secure_cookies: false,
        }
    }
}

impl TestApp {
    pub async fn new() -> Self {
        Self::build(Setup::default()).await
    }

    /// As [`Self::new`], with the outbox marked as delivered by a mail server.
    pub async fn with_mail() -> Self {
        let setup = Setup {
            mail_configured: true,
            ..Setup::default()
        };
        Self::build(setup).await
    }

    /// As [`Self::new`], with no introspection key configured.
    pub async fn without_introspection() -> Self {
        let setup = Setup {
            introspection_key: None,
            ..Setup::default()
        };
        Self::build(setup).await
    }

    /// As [`Self::new`], behind a reverse proxy at `proxies`
    /// (`TOKENSMITH_TRUSTED_PROXIES`).
    #[allow(dead_code)] // not every test binary that shares this file uses it
    pub async fn behind_proxy(proxies: &str) -> Self {
        let setup = Setup {
            trusted_proxies: proxies.to_string(),
            ..Setup::default()
        };
        Self::build(setup).await
    }

    /// As [`Self::new`], configured for https (`TOKENSMITH_SECURE_COOKIES`).
    #[allow(dead_code)]
    pub async fn with_secure_cookies() -> Self {
        let setup = Setup {
            secure_cookies: true,
            ..Setup::default()
        };
        Self::build(setup).await
    }

    async fn build(setup: Setup) -> Self {
        let Setup {
            mail_configured,
            introspection_key,
            trusted_proxies,
            secure_cookies,
        } = setup;
        let dir = tempfile::tempdir().unwrap();
        let url = match std::env::var("TOKENSMITH_TEST_POSTGRES") {
            Ok(admin) => fresh_postgres_database(&admin).await,
            Err(_) => format!("sqlite://{}/test.db", dir.path().display()),
        };
        std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
        std::fs::write(dir.path().join("pkg/tokensmith.wasm"), b"\0asm").unwrap();
        for script in ["enhance.js", "islands.js"] {
            let from = format!("{}/../public/{script}", env!("CARGO_MANIFEST_DIR"));
            std::fs::copy(from, dir.path().join(script)).unwrap();
        }
        let pool = db::connect(&url).await.unwrap();
        db::migrate(&pool).await.unwrap();
        // PostgreSQL: the token cache is used once this listener is connected (it runs
        // until the test's runtime ends).
        let (_, never) = tokio::sync::watch::channel(false);
        tokio::spawn(db::change_listener::run(pool.clone(), never));
        server::commands::seed::seed_demo(&pool, Some(PASSWORD))
            .await
            .unwrap();
        let state = AppState {
            leptos_options: LeptosOptions::builder()
                .output_name("tokensmith")
                .site_root(dir.path().display().to_string())
                .build(),
            pool: pool.clone(),
            secure_cookies,
            outbox: app::ssr::state::Outbox::new(mail_configured),
            sign_in: app::ssr::sign_in_guard::SignInGuard::for_database(Default::default(), &pool),
            api_reference: std::sync::Arc::new(server::routes::openapi::reference()),
            passkeys: server::config::public_url::relying_party(
                Some(PUBLIC_URL),
                "127.0.0.1:0".parse().unwrap(),
            )
            .unwrap(),
            webhook_reach: app::domain::webhook_address::Reach::parse("127.0.0.1/32").unwrap(),
        };
        let outbox = state.outbox.clone();
        let sign_in = state.sign_in.clone();
        // Generous: a loaded CI machine must not turn slow argon2 work into a 408.
        let api = server::brand_api::ApiState::new(pool.clone(), introspection_key, LIMITS);
        let (scanning_key, scanning_keys) = super::harness_tokens::scanning_key_pair();
        let api = server::brand_api::ApiState {
            trusted_proxies: server::http::client_address::TrustedProxies::parse(&trusted_proxies)
                .unwrap(),
            scanning_keys: std::sync::Arc::new(scanning_keys),
            ..api
        };
        let router = server::http::router::build(state, api.clone(), Duration::from_secs(120));
        let database = match &pool {
            db::Db::Sqlite(..) => super::secret_scan::Database::File(dir.path().join("test.db")),
            db::Db::Postgres(..) => super::secret_scan::Database::Postgres(url.clone()),
        };
        let secrets = super::secret_scan::Secrets::new(database);
        secrets.note(INTROSPECTION_KEY);
        secrets.note(PASSWORD);
        Self {
            router,
            pool,
            outbox,
            api,
            sign_in,
            scanning_key,
            secrets,
            _dir: dir,
        }
    }

    /// The SQLite pool, for tests that read SQLite's own tables (the fuzzer's triggers).
    #[allow(dead_code)] // used by the fuzzer, which shares this file
    pub fn sqlite(&self) -> &sqlx::SqlitePool {
        match &self.pool {
            db::Db::Sqlite(db, _) => &db.pool,
            db::Db::Postgres(..) => panic!("this test needs SQLite"),
        }
    }

    /// Notes `secret` (for the scan when the test ends) and says where it is found now.
    #[allow(dead_code)] // not every test binary that shares this file uses it
    pub fn leaked_now(&self, secret: &str) -> Vec<String> {
        self.secrets.note(secret);
        self.secrets.scan_for([secret.to_string()].iter())
    }

    /// Where `planted` is found now, without noting it (a test that plants one on purpose).
    #[allow(dead_code)]
    pub fn found_without_noting(&self, planted: &str) -> Vec<String> {
        self.secrets.scan_for([planted.to_string()].iter())
    }

    /// Values a test sends everywhere as junk: never taken for secrets.
    #[allow(dead_code)] // the fuzzer's
    pub fn not_secrets(&self, values: &[&str]) {
        self.secrets.not_secrets(values);
    }

    /// Notes a secret the server was given another way than a request (an SMTP password).
    #[allow(dead_code)]
    pub fn note_secret(&self, secret: &str) {
        self.secrets.note(secret);
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let what = format!("{} {}", request.method(), request.uri());
        let request = self.secrets.note_request(request).await;
        // The router's own timeout covers the response head, not a streamed body: bound the
        // whole exchange, so a render that never finishes fails here instead of hanging.
        let exchange = async {
            let response = self.router.clone().oneshot(request).await.unwrap();
            let status = response.status();
            let headers = response.headers().clone();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            Reply {
                status,
                headers,
                body: String::from_utf8_lossy(&bytes).into_owned(),
            }
        };
        let reply = tokio::time::timeout(Duration::from_secs(60), exchange)
            .await
            .unwrap_or_else(|_| panic!("{what} did not finish within 60 s"));
        self.secrets.note_reply(&reply.headers, &reply.body);
        reply
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path)
            .header(header::HOST, HOST)
            .header(header::ACCEPT, "text/html,application/xhtml+xml");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A same-origin form post, as the app's own pages send.
    pub async fn post_form(&self, path: &str, cookie: Option<&str>, body: &str) -> Reply {
        let browser = [("sec-fetch-site", "same-origin"), ("accept", "text/html")];
        self.post_with(path, cookie, body, &browser).await
    }

    pub async fn post_with(
        &self,
        path: &str,
        cookie: Option<&str>,
        body: &str,
        extra: &[(&str, &str)],
    ) -> Reply {
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, body.len());
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        for (name, value) in extra {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::from(body.to_string())).unwrap())
            .await
    }

    /// Signs in and returns the `Cookie` header value for the new session.
    pub async fn sign_in(&self, email: &str) -> String {
        self.sign_in_with_password(email, PASSWORD).await
    }

    /// Signs in with `password` (spaces sent as `+`, as a form does); the session cookie.
    pub async fn sign_in_with_password(&self, email: &str, password: &str) -> String {
        let body = format!("email={email}&password={}", password.replace(' ', "+"));
        let reply = self.post_form("/login", None, &body).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "sign-in as {email}");
        cookie_from(&reply)
    }

    /// Calls a server function as the page would (JSON answer).
    pub async fn call(&self, endpoint: &str, cookie: Option<&str>, body: &str) -> Reply {
        self.post_with(
            &format!("/api/{endpoint}"),
            cookie,
            body,
            &[
                ("sec-fetch-site", "same-origin"),
                ("accept", "application/json"),
            ],
        )
        .await
    }
}

/// A new, empty database on the PostgreSQL server whose admin URL is `admin` (scripts/test
/// starts a throwaway one and sets `TOKENSMITH_TEST_POSTGRES`); its URL.
async fn fresh_postgres_database(admin: &str) -> String {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("TOKENSMITH_TEST_POSTGRES={admin} is not reachable: {e}"));
    let name = format!("test_{:016x}", rand::random::<u64>());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    let _ = conn.close().await;
    let (base, _) = admin.rsplit_once('/').expect("a URL with a database name");
    format!("{base}/{name}")
}

/// The `name=value` part of the response's session cookie.
pub fn cookie_from(reply: &Reply) -> String {
    let set_cookie = reply.header("set-cookie");
    set_cookie.split(';').next().unwrap().to_string()
}

impl TestApp {
    /// Calls a JSON-encoded server function as the page does.
    pub async fn call_json(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        body: &serde_json::Value,
    ) -> Reply {
        let body = body.to_string();
        let mut request = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/{endpoint}"))
            .header(header::HOST, HOST)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_LENGTH, body.len())
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }
}

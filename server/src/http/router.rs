//! The one router: pages, server functions, sign-in routes and static files, wrapped in
//! the security middleware.

use crate::brand_api::{self, ApiState};
use crate::config::BODY_LIMIT;
use crate::http::{client_address, deadline, drain, form_posts, middleware, request_body};
use crate::routes::{
    activity_export, confirm_access, health, login, openapi, passkeys, second_step, sso,
};
use crate::telemetry::observe;
use app::ssr::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::{Method, StatusCode};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use std::time::Duration;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;

static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
#[cfg(feature = "test-hooks")]
static GENERATIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The app's routes, generated once per process.
///
/// Generating them runs the app once while a process-wide flag of Leptos
/// (`SuppressResourceLoad`) is set, and any page rendered meanwhile, on any thread, waits
/// forever for its data (leptos#4773). Once per process, before any request, avoids that
/// for the server and for every router a test builds.
pub fn route_list() -> Vec<AxumRouteListing> {
    ROUTES
        .get_or_init(|| {
            #[cfg(feature = "test-hooks")]
            GENERATIONS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            generate_route_list(App)
        })
        .clone()
}

/// How many times this process has generated the route list (tests check it stays 1).
#[cfg(feature = "test-hooks")]
pub fn route_list_generations() -> usize {
    GENERATIONS.load(std::sync::atomic::Ordering::SeqCst)
}

/// Builds the application with every route and layer. Long on purpose: it is the table of
/// every route and layer, read top to bottom in the order a request meets them.
pub fn build(state: AppState, api: ApiState, request_timeout: Duration) -> Router {
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(app::ssr::auth::RequestUser::default());
        }
    };
    let page_shell = {
        let options = state.leptos_options.clone();
        move || shell(options.clone())
    };
    // Static files get a plain file service: Leptos' file handler opens a reactive owner
    // per file, and under concurrent page renders that owner picked up a page's response
    // options (its Content-Security-Policy went to the wasm file, and the page lost it).
    let site_root = std::path::PathBuf::from(state.leptos_options.site_root.as_ref());
    let pkg = ServeDir::new(site_root.join(state.leptos_options.site_pkg_dir.as_ref()))
        .precompressed_br()
        .precompressed_gzip();
    let favicon = ServeFile::new(site_root.join("favicon.svg"))
        .precompressed_br()
        .precompressed_gzip();
    // Passkeys' ceremonies in the browser: a small script, so that /login stays free of wasm.
    let passkey_script = ServeFile::new(site_root.join("passkey.js"))
        .precompressed_br()
        .precompressed_gzip();
    // The plain controls of every page with code (copy, sign-out, the API switch, local
    // times): a small script, so that pages without islands load no wasm.
    let enhance_script = ServeFile::new(site_root.join("enhance.js"))
        .precompressed_br()
        .precompressed_gzip();
    // Islands whose code waits for the user's first move to act (a token's page): a small
    // script, imported only by a page whose islands all do.
    let islands_script = ServeFile::new(site_root.join("islands.js"))
        .precompressed_br()
        .precompressed_gzip();
    let not_found = {
        let render =
            leptos_axum::render_app_async_with_context(context.clone(), page_shell.clone());
        move |request: Request| not_found(request, render.clone())
    };
    let trusted_proxies = api.trusted_proxies.clone();
    // Single sign-on's providers: their redirect back is at the public origin passkeys use.
    let providers = std::sync::Arc::new(crate::sso::provider::Providers::new(
        state.passkeys.as_ref().map(|party| party.origin()),
    ));
    // Pages and server functions, compressed for clients that accept it, at the fastest
    // level: brotli's default (4) took a fifth of the API page's CPU, for 3.4 KB instead of 4.
    let site = Router::new()
        .leptos_routes_with_context(&state, route_list(), context, page_shell)
        .fallback(not_found)
        .layer(axum::middleware::from_fn(form_posts::explain_refusals))
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(1))
                .br(true)
                .gzip(true)
                .compress_when(worth_compressing),
        );
    Router::new()
        .nest_service("/pkg", pkg)
        .route_service("/favicon.svg", favicon)
        .route_service("/passkey.js", passkey_script)
        .route_service("/enhance.js", enhance_script)
        .route_service("/islands.js", islands_script)
        // Liveness for load balancers, and the hello-world baseline of bench/brand-api.
        .route("/healthz", get(|| async { "ok" }))
        // Readiness for load balancers: database reachable and migrated, mail worker up.
        .route("/readyz", {
            let readiness = health::Readiness::default();
            get(move |state| health::readyz(state, readiness.clone()))
        })
        // The API reference (OpenAPI 3.1), for integrators' tools.
        .route("/openapi.json", get(openapi::serve))
        .route("/login", post(login::sign_in))
        .route("/login/two-factor", post(second_step::finish))
        .route("/login/two-factor/cancel", post(second_step::cancel))
        .route("/confirm-access", post(confirm_access::confirm))
        .route("/login/passkeys/options", post(passkeys::options))
        .route("/login/passkeys/answer", post(passkeys::answer))
        .merge(sso::routes(providers))
        .route("/logout", post(login::sign_out))
        .route("/logout/everywhere", post(login::sign_out_everywhere))
        .route(
            "/settings/activity/export.csv",
            get(activity_export::export),
        )
        .merge(brand_api::routes(api))
        .merge(site)
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(
            trusted_proxies,
            client_address::resolve,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::from_fn(request_body::read_in_time))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(axum::middleware::from_fn(middleware::explain_empty_errors))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.secure_cookies,
            middleware::strict_transport,
        ))
        .layer(axum::middleware::from_fn_with_state(
            request_timeout,
            deadline::bound_body,
        ))
        // Outside every early answer (413, 404, 401, 403, 408 …): what they left unread is
        // read before they go out, so a proxy still sending it gets the answer, not a reset.
        .layer(axum::middleware::from_fn(drain::unread_body))
        .layer(axum::middleware::from_fn(observe::requests))
        .with_state(state)
}

/// Pages and server-function answers (HTML, JSON) are compressed unless they are known to
/// be under a kilobyte; the wasm, JS and CSS are served precompressed, and the brand API
/// (routed outside this layer) answers uncompressed: its short JSON isn't worth the CPU.
fn worth_compressing(
    _: StatusCode,
    _: http::Version,
    headers: &http::HeaderMap,
    _: &http::Extensions,
) -> bool {
    let text = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    let big = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        .is_none_or(|len| len >= 1024);
    text && big
}

/// Any address no route has: the "Page not found" page for a GET, rendered like every
/// other page (its own root owner and response options, nothing shared between requests),
/// and a plain 404 for any other method.
async fn not_found<F, Fut>(request: Request, render: F) -> Response
where
    F: FnOnce(Request<Body>) -> Fut,
    Fut: std::future::Future<Output = Response>,
{
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return (StatusCode::NOT_FOUND, "There is nothing at this address.").into_response();
    }
    let mut response = render(request).await;
    // The page sets 404 itself; a redirect to sign-in or a 403 keeps its own status.
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::NOT_FOUND;
    }
    response
}

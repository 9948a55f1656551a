//! The one router: pages, server functions, sign-in routes and static files, wrapped in
//! the security middleware.

use crate::brand_api::{self, ApiState};
use crate::config::BODY_LIMIT;
use crate::{login, middleware};
use app::ssr::state::AppState;
use app::{shell, App};
use axum::routing::{get, post};
use axum::Router;
use http::StatusCode;
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Builds the application with every route and layer.
pub fn build(state: AppState, api: ApiState, request_timeout: Duration) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
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
    Router::new()
        .nest_service("/pkg", pkg)
        .route_service("/favicon.svg", favicon)
        // Liveness for load balancers, and the hello-world baseline of bench/brand-api.
        .route("/healthz", get(|| async { "ok" }))
        .route("/login", post(login::sign_in))
        .route("/logout", post(login::sign_out))
        .merge(brand_api::routes(api))
        .leptos_routes_with_context(&state, routes, context.clone(), page_shell)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(axum::middleware::from_fn(middleware::explain_empty_errors))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

//! The state every route and server function shares.

use crate::error::AppError;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use leptos::prelude::use_context;
use sqlx::SqlitePool;

/// Shared by the router and, through context, by server functions.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// Where the site's files are and how they are named.
    pub leptos_options: LeptosOptions,
    /// The one connection pool.
    pub pool: SqlitePool,
    /// Mark the session cookie `Secure` on every response (set when served over https).
    pub secure_cookies: bool,
}

/// The state of the server function or page being run.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

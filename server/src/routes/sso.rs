//! Single sign-on: `POST /login/sso` sends the browser to the account's identity provider;
//! `GET /login/sso/callback` is where the provider sends it back, signed in or not.

mod callback;
mod refusal;
mod start;

use crate::sso::provider::Providers;
use app::ssr::state::AppState;
use axum::routing::{get, post};
use axum::{Extension, Router};
use std::sync::Arc;

/// The two routes, with the providers' clients of this instance.
pub fn routes(providers: Arc<Providers>) -> Router<AppState> {
    Router::new()
        .route("/login/sso", post(start::start))
        .route("/login/sso/callback", get(callback::callback))
        .layer(Extension(providers))
}

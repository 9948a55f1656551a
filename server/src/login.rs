//! `POST /login` and `POST /logout`: plain form posts, so they work without JavaScript.

use app::error::AppError;
use app::pages::LoginFailure;
use app::shell;
use app::ssr::auth::{self, SessionToken};
use app::ssr::state::AppState;
use axum::body::Body;
use axum::extract::{rejection::FormRejection, State};
use axum::response::{IntoResponse, Response};
use axum::Form;
use http::header::{HeaderMap, HeaderValue, LOCATION, SET_COOKIE};
use http::{Request, StatusCode};
use leptos::prelude::provide_context;
use serde::Deserialize;

/// Where a successful sign-in lands.
pub const HOME: &str = "/settings/api";

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

/// Whether the session cookie must be marked `Secure` for this request.
fn secure(state_secure: bool, headers: &HeaderMap) -> bool {
    state_secure
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

/// Checks the credentials; on success ends any session the browser had, opens a new
/// one and redirects home; on failure shows the form again with one message and 401.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let (email, password) = match form {
        Ok(Form(form)) => (form.email, form.password),
        Err(_) => (String::new(), String::new()),
    };
    match auth::sign_in(&state.pool, &email, &password).await {
        Ok(token) => {
            // A fresh id at every sign-in: a session id planted before sign-in is worthless.
            if let Err(error) = auth::sign_out(&state.pool, &headers).await {
                tracing::warn!(%error, "could not end the previous session");
            }
            let cookie = token.cookie(secure(state.secure_cookies, &headers));
            redirect_with_cookie(HOME, &cookie)
        }
        Err(AppError::Unauthorized) => {
            let mut response = render_login_failure(state, email).await;
            *response.status_mut() = StatusCode::UNAUTHORIZED;
            response
        }
        Err(error) => (error.status(), error.to_string()).into_response(),
    }
}

/// Ends the session on the server, removes the cookie and returns to `/login`.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(error) = auth::sign_out(&state.pool, &headers).await {
        return (error.status(), error.to_string()).into_response();
    }
    redirect_with_cookie(
        "/login",
        &SessionToken::removal_cookie(secure(state.secure_cookies, &headers)),
    )
}

fn redirect_with_cookie(location: &'static str, cookie: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(LOCATION, HeaderValue::from_static(location));
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

async fn render_login_failure(state: AppState, email: String) -> Response {
    let options = state.leptos_options.clone();
    let email: String = email.chars().take(254).collect();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(state.clone());
            provide_context(LoginFailure {
                email: email.clone(),
            });
        },
        move || shell(options.clone()),
    );
    let request = match Request::get("/login").body(Body::empty()) {
        Ok(request) => request,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    handler(request).await
}

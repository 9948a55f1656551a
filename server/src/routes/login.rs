//! `POST /login`, `POST /logout` and `POST /logout/everywhere`: plain form posts, so they
//! work without JavaScript.

use crate::http::client_address::address_key;
use crate::telemetry::outcomes::SignInOutcome;
use crate::telemetry::prometheus;
use app::error::AppError;
use app::pages::LoginFailure;
use app::shell;
use app::ssr::auth::{self, PasswordAccepted, SessionToken};
use app::ssr::db::{sign_in_devices, throttling};
use app::ssr::device_cookie::DeviceCookie;
use app::ssr::now;
use app::ssr::sign_in_guard::{Attempt, Refusal};
use app::ssr::state::AppState;
use axum::body::Body;
use axum::extract::{rejection::FormRejection, ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use http::header::{HeaderMap, HeaderValue, LOCATION, RETRY_AFTER, SET_COOKIE};
use http::{Request, StatusCode};
use leptos::prelude::provide_context;
use serde::Deserialize;
use std::net::SocketAddr;

/// Where a successful sign-in lands: the home page, which every role may open.
pub const HOME: &str = "/";
/// Where a right password lands when the user has a second factor.
pub const SECOND_STEP: &str = "/login/two-factor";
/// Where a sign-in with a temporary password lands.
pub const SET_PASSWORD: &str = "/settings/password";

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
}

/// Whether the session cookie must be marked `Secure` (and `__Host-` named) for this
/// request.
pub(crate) fn secure(state_secure: bool, headers: &HeaderMap) -> bool {
    auth::is_secure(state_secure, headers)
}

/// Checks the credentials; on success ends any session the browser had, opens a new
/// one and redirects home; on failure shows the form again with one message and 401.
/// Too many failures for the account or from the client's address: 429 with
/// `Retry-After`, without checking the password; every hash slot busy: 503.
pub async fn sign_in(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let (email, password) = match form {
        Ok(Form(form)) => (form.email, form.password),
        Err(_) => (String::new(), String::new()),
    };
    let address = address_key(connect.as_ref().map(|Extension(c)| c));
    let guard = state.sign_in.clone();
    let secure = secure(state.secure_cookies, &headers);
    // A browser where this user signed in before is counted on its own (device cookie).
    let device = known_device(&state, &headers, secure, &email).await;
    let begun = match &device {
        Some(device) => guard.begin_device(&device.key()).await,
        None => guard.begin(&email, &address).await,
    };
    let attempt = match begun {
        Ok(attempt) => attempt,
        Err(refusal) => return refused(state, email, &address, refusal).await,
    };
    let slot = match guard.hash_slot().await {
        Ok(slot) => slot,
        Err(refusal) => {
            guard.not_tried(attempt).await;
            return refused(state, email, &address, refusal).await;
        }
    };
    let outcome = auth::sign_in(&state.pool, &email, &password, slot).await;
    match outcome {
        Ok(PasswordAccepted::SignedIn(signed_in)) => {
            prometheus::sign_in(SignInOutcome::Success);
            guard.succeeded(attempt).await;
            welcome(&state, &headers, secure, signed_in, device).await
        }
        Ok(PasswordAccepted::SecondFactor(pending)) => {
            // Neither a failure nor a success yet: the code decides, under the same limits.
            prometheus::sign_in(SignInOutcome::SecondFactorAsked);
            guard.not_tried(attempt).await;
            redirect_with_cookie(SECOND_STEP, &pending.cookie(secure))
        }
        Ok(PasswordAccepted::SsoRequired) => {
            prometheus::sign_in(SignInOutcome::SsoRequired);
            guard.succeeded(attempt).await;
            let failure = LoginFailure::sso_required(email);
            with_status(
                render_login_failure(state, failure).await,
                StatusCode::FORBIDDEN,
            )
        }
        Err(AppError::Forbidden) => {
            prometheus::sign_in(SignInOutcome::Disabled);
            guard.succeeded(attempt).await;
            let failure = LoginFailure::disabled(email);
            with_status(
                render_login_failure(state, failure).await,
                StatusCode::FORBIDDEN,
            )
        }
        Err(AppError::Unauthorized) => {
            prometheus::sign_in(SignInOutcome::Failed);
            let failure = LoginFailure::incorrect(email);
            with_status(
                render_login_failure(state, failure).await,
                StatusCode::UNAUTHORIZED,
            )
        }
        Err(error) => {
            prometheus::sign_in(SignInOutcome::Error);
            (error.status(), error.to_string()).into_response()
        }
    }
}

/// The answer to a successful sign-in: the previous session ended, a fresh one's cookie,
/// and the device cookie that makes this browser known for this user.
pub(crate) async fn welcome(
    state: &AppState,
    headers: &HeaderMap,
    secure: bool,
    signed_in: auth::SignedIn,
    device: Option<DeviceCookie>,
) -> Response {
    // A fresh id at every sign-in: a session id planted before sign-in is worthless.
    if let Err(error) = auth::sign_out(&state.pool, headers, secure).await {
        tracing::warn!(%error, "could not end the previous session");
    }
    let cookie = signed_in.token.cookie(secure);
    let home = if signed_in.must_change_password {
        SET_PASSWORD
    } else {
        HOME
    };
    let mut response = redirect_with_cookie(home, &cookie);
    // This browser is now known for this user: the same cookie again, or a new one.
    let device = device.unwrap_or_else(DeviceCookie::generate);
    match sign_in_devices::remember(&state.pool, &device.hash(), signed_in.user_id, now()).await {
        Ok(()) => {
            if let Ok(value) = HeaderValue::from_str(&device.cookie(secure)) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        Err(error) => tracing::warn!(%error, "could not remember the device"),
    }
    response
}

/// The request's device cookie, if it is one this server gave the browser at a successful
/// sign-in of the user now signing in (the email as typed, any case).
pub(crate) async fn known_device(
    state: &AppState,
    headers: &HeaderMap,
    secure: bool,
    email: &str,
) -> Option<DeviceCookie> {
    let device = DeviceCookie::from_headers(headers, secure)?;
    match sign_in_devices::owner(&state.pool, &device.hash(), now()).await {
        Ok(Some(owner)) if owner.eq_ignore_ascii_case(email.trim()) => Some(device),
        Ok(_) => None,
        Err(error) => {
            tracing::warn!(%error, "could not look up a device cookie");
            None
        }
    }
}

/// Counts an attempt at a pending sign-in's second step: against the browser alone when it
/// holds the user's device cookie, else against the account and the address. The device, if
/// any, goes on to the session's welcome.
pub(crate) async fn begin_second_step(
    state: &AppState,
    headers: &HeaderMap,
    secure: bool,
    email: &str,
    address: &str,
) -> (Option<DeviceCookie>, Result<Attempt, Refusal>) {
    let device = known_device(state, headers, secure, email).await;
    let begun = match &device {
        Some(device) => state.sign_in.begin_device(&device.key()).await,
        None => state.sign_in.begin(email, address).await,
    };
    (device, begun)
}

/// The sign-in page again, saying why the attempt was not even tried.
async fn refused(state: AppState, email: String, address: &str, refusal: Refusal) -> Response {
    let (status, retry_after, failure) = refusal_outcome(&state, email, address, refusal).await;
    let response = with_status(render_login_failure(state, failure).await, status);
    with_retry_after(response, retry_after)
}

/// `response`, telling the client to wait `secs` seconds before trying again.
pub(crate) fn with_retry_after(mut response: Response, secs: u64) -> Response {
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from(secs));
    response
}

/// What a refused attempt answers (status, seconds to wait, message), counted and, when it
/// newly locks the account, audited.
pub(crate) async fn refusal_outcome(
    state: &AppState,
    email: String,
    address: &str,
    refusal: Refusal,
) -> (StatusCode, u64, LoginFailure) {
    match refusal {
        Refusal::Throttled {
            retry_after,
            account_newly_locked,
        } => {
            prometheus::sign_in(SignInOutcome::Throttled);
            if account_newly_locked {
                tracing::warn!(%address, "sign-ins to an account throttled");
                if let Err(error) =
                    throttling::record_throttled(&state.pool, &email, address, now()).await
                {
                    tracing::error!(?error, "could not audit a throttled sign-in");
                }
            }
            let secs = retry_after.as_secs().max(1);
            (
                StatusCode::TOO_MANY_REQUESTS,
                secs,
                LoginFailure::throttled(email, secs),
            )
        }
        Refusal::Busy => {
            prometheus::sign_in(SignInOutcome::Busy);
            (
                StatusCode::SERVICE_UNAVAILABLE,
                1,
                LoginFailure::busy(email),
            )
        }
    }
}

pub(crate) fn with_status(mut response: Response, status: StatusCode) -> Response {
    *response.status_mut() = status;
    response
}

/// Ends the session on the server, removes the cookie and returns to `/login`.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let secure = secure(state.secure_cookies, &headers);
    if let Err(error) = auth::sign_out(&state.pool, &headers, secure).await {
        return (error.status(), error.to_string()).into_response();
    }
    redirect_with_cookie("/login", &SessionToken::removal_cookie(secure))
}

/// **Sign out everywhere** as a plain form post: ends every session of the signed-in user
/// (audited), removes the cookie and returns to `/login`. Without a live session there is
/// nothing to end: the same redirect.
pub async fn sign_out_everywhere(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let secure = secure(state.secure_cookies, &headers);
    let ended = match auth::user_for_headers(&state.pool, &headers, secure).await {
        Ok(Some(user)) => auth::sign_out_everywhere(&state.pool, &user).await,
        Ok(None) => Ok(()),
        Err(error) => Err(error),
    };
    if let Err(error) = ended {
        return (error.status(), error.to_string()).into_response();
    }
    redirect_with_cookie("/login", &SessionToken::removal_cookie(secure))
}

pub(crate) fn redirect_with_cookie(location: &'static str, cookie: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(LOCATION, HeaderValue::from_static(location));
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

pub(crate) async fn render_login_failure(state: AppState, failure: LoginFailure) -> Response {
    let failure = LoginFailure {
        email: failure.email.chars().take(254).collect(),
        ..failure
    };
    render_with(state, "/login", failure).await
}

/// The page at `path` rendered with `given` in its context: how a form post answers with
/// its page again, saying what went wrong.
pub(crate) async fn render_with<T>(state: AppState, path: &'static str, given: T) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(state.clone());
            provide_context(given.clone());
        },
        move || shell(options.clone()),
    );
    let request = match Request::get(path).body(Body::empty()) {
        Ok(request) => request,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    handler(request).await
}

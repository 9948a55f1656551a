//! `POST /login/two-factor`: the second step of signing in, for a user with a second
//! factor. A plain form post like `/login`: the code from the authenticator app, or a
//! recovery code, finishes the pending sign-in the right password began. Wrong codes count
//! as failed sign-ins of the account, under the same limits.

use super::login::{
    begin_second_step, redirect_with_cookie, refusal_outcome, render_login_failure, render_with,
    secure, welcome, with_retry_after, with_status, SECOND_STEP,
};
use crate::http::client_address::address_key;
use crate::telemetry::outcomes::SignInOutcome;
use crate::telemetry::prometheus;
use app::error::AppError;
use app::pages::{LoginFailure, SecondStepFailure};
use app::ssr::db::pending_sign_ins::{self, PendingRow};
use app::ssr::db::second_factors::{self, Owner};
use app::ssr::device_cookie::DeviceCookie;
use app::ssr::factors::{self, CodeCheck};
use app::ssr::now;
use app::ssr::pending_cookie::PendingCookie;
use app::ssr::state::AppState;
use app::ssr::{auth, db::Db};
use axum::extract::{rejection::FormRejection, ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use http::StatusCode;
use serde::Deserialize;
use std::net::SocketAddr;

/// The second step's form.
#[derive(Deserialize)]
pub struct SecondStepForm {
    code: String,
}

/// Checks the code of the pending sign-in in the browser's cookie: right, a session opens
/// as at `/login`; wrong, the form again with 401; no pending sign-in (expired, or never),
/// the sign-in page with 401; too many failures, 429 with `Retry-After`.
pub async fn finish(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<SecondStepForm>, FormRejection>,
) -> Response {
    let typed = form.map(|Form(form)| form.code).unwrap_or_default();
    let secure = secure(state.secure_cookies, &headers);
    let cookie = PendingCookie::from_headers(&headers, secure);
    let pending = match cookie.as_ref() {
        Some(cookie) => pending_sign_ins::find(&state.pool, &cookie.hash(), now()).await,
        None => Ok(None),
    };
    let (cookie, pending) = match (cookie, pending) {
        (Some(cookie), Ok(Some(pending))) => (cookie, pending),
        (_, Err(error)) => return (error.status(), error.to_string()).into_response(),
        _ => return timed_out(state, secure).await,
    };
    let address = address_key(connect.as_ref().map(|Extension(c)| c));
    let guard = state.sign_in.clone();
    let (device, begun) =
        begin_second_step(&state, &headers, secure, &pending.email, &address).await;
    let attempt = match begun {
        Ok(attempt) => attempt,
        Err(refusal) => {
            let email = pending.email.clone();
            let (status, retry_after, failure) =
                refusal_outcome(&state, email, &address, refusal).await;
            let response = render(state, &pending, failure.message, status).await;
            return with_retry_after(response, retry_after);
        }
    };
    let checked = match check(&state.pool, &pending, &typed).await {
        Ok(checked) => checked,
        Err(error) => {
            prometheus::sign_in(SignInOutcome::Error);
            return (error.status(), error.to_string()).into_response();
        }
    };
    if !checked.accepted() {
        prometheus::sign_in(SignInOutcome::SecondFactorFailed);
        if let Err(error) = wrong_code(&state.pool, &cookie, &pending).await {
            return (error.status(), error.to_string()).into_response();
        }
        let message = match checked {
            CodeCheck::Malformed => app::domain::second_factor::CodeFormatError.to_string(),
            _ => "That code is incorrect or was already used. Enter the current code from \
                  your authenticator app, or an unused recovery code."
                .to_string(),
        };
        return render(state, &pending, message, StatusCode::UNAUTHORIZED).await;
    }
    guard.succeeded(attempt).await;
    let outcome = match checked {
        CodeCheck::Recovery => SignInOutcome::RecoveryCode,
        _ => SignInOutcome::Success,
    };
    let finished = Finished {
        cookie: &cookie,
        pending: &pending,
        device,
        outcome,
    };
    complete(&state, &headers, secure, finished).await
}

/// A pending sign-in whose second factor was right.
pub(crate) struct Finished<'a> {
    pub cookie: &'a PendingCookie,
    pub pending: &'a PendingRow,
    pub device: Option<DeviceCookie>,
    pub outcome: SignInOutcome,
}

/// Ends the pending sign-in and opens its session, as `/login` would have: a redirect
/// home (or to **Change password**) with the session cookie, or the sign-in page if a
/// password reset or **Disable** landed meanwhile.
pub(crate) async fn complete(
    state: &AppState,
    headers: &HeaderMap,
    secure: bool,
    finished: Finished<'_>,
) -> Response {
    let Finished {
        cookie,
        pending,
        device,
        outcome,
    } = finished;
    if let Err(error) = pending_sign_ins::end(&state.pool, &cookie.hash()).await {
        tracing::warn!(%error, "could not end a pending sign-in");
    }
    let opened = auth::open_session(
        &state.pool,
        pending.user_id,
        &pending.checked_hash,
        pending.must_change_password,
    )
    .await;
    let signed_in = match opened {
        Ok(signed_in) => signed_in,
        // A password reset or Disable landed meanwhile: sign in again.
        Err(AppError::Unauthorized) => return timed_out(state.clone(), secure).await,
        Err(error) => return (error.status(), error.to_string()).into_response(),
    };
    prometheus::sign_in(outcome);
    let mut response = welcome(state, headers, secure, signed_in, device).await;
    if let Ok(value) = HeaderValue::from_str(&PendingCookie::removal_cookie(secure)) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

async fn check(pool: &Db, pending: &PendingRow, typed: &str) -> Result<CodeCheck, AppError> {
    factors::check_code(pool, owner(pending), typed, now()).await
}

/// A wrong code: counted on the pending sign-in (the fifth ends it); the first is audited
/// and mailed to the user, whose password whoever sent it knows.
pub(crate) async fn wrong_code(
    pool: &Db,
    cookie: &PendingCookie,
    pending: &PendingRow,
) -> Result<(), AppError> {
    let failures = pending_sign_ins::count_wrong_code(pool, &cookie.hash()).await?;
    if failures == 1 {
        second_factors::wrong_code_after_password(pool, owner(pending), now()).await?;
    }
    Ok(())
}

fn owner(pending: &PendingRow) -> Owner<'_> {
    Owner {
        account_id: pending.account_id,
        user_id: pending.user_id,
        name: &pending.name,
        email: &pending.email,
    }
}

/// No pending sign-in to finish: the sign-in page, saying so.
async fn timed_out(state: AppState, secure: bool) -> Response {
    let failure = LoginFailure {
        email: String::new(),
        message: "Your sign-in took too long or has ended. Sign in again.".to_string(),
    };
    let mut response = with_status(
        render_login_failure(state, failure).await,
        StatusCode::UNAUTHORIZED,
    );
    if let Ok(value) = HeaderValue::from_str(&PendingCookie::removal_cookie(secure)) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// The second step's form again with `message`, offering the user's factors.
async fn render(
    state: AppState,
    pending: &PendingRow,
    message: String,
    status: StatusCode,
) -> Response {
    let factors = app::pages::factors_of(&state.pool, pending.user_id)
        .await
        .unwrap_or_default();
    let failure = SecondStepFailure { message, factors };
    with_status(render_with(state, SECOND_STEP, failure).await, status)
}

/// `POST /login/two-factor/cancel`: **Cancel** ends the pending sign-in and returns to
/// `/login`.
pub async fn cancel(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let secure = secure(state.secure_cookies, &headers);
    if let Some(cookie) = PendingCookie::from_headers(&headers, secure) {
        if let Err(error) = pending_sign_ins::end(&state.pool, &cookie.hash()).await {
            return (error.status(), error.to_string()).into_response();
        }
    }
    redirect_with_cookie("/login", &PendingCookie::removal_cookie(secure))
}

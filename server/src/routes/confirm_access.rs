//! `POST /confirm-access`: sudo mode's proof. A signed-in user gives their password, or,
//! once they have an authenticator app, a code from it (or a recovery code), and their
//! session may make sensitive changes for the next 15 minutes. A plain form post; a wrong answer counts as
//! a failed sign-in of the account, under the same limits.

use super::login::{refusal_outcome, render_with, secure, with_retry_after, with_status};
use crate::http::client_address::address_key;
use crate::telemetry::outcomes::SignInOutcome;
use crate::telemetry::prometheus;
use app::domain::return_path::return_path;
use app::domain::{Actor, EmailAddress};
use app::error::AppError;
use app::pages::ConfirmAccessFailure;
use app::ssr::auth::{self, SessionToken};
use app::ssr::db::second_factors::Owner;
use app::ssr::db::{sessions, users};
use app::ssr::factors;
use app::ssr::state::AppState;
use app::ssr::{now, password};
use axum::extract::{rejection::FormRejection, ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use http::header::{HeaderMap, HeaderValue, LOCATION};
use http::StatusCode;
use serde::Deserialize;
use std::net::SocketAddr;

/// The form: a password or a code, and where to go back to.
#[derive(Deserialize, Default)]
pub struct ConfirmForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// Checks the password or code of the signed-in user; right, the session is proved now and
/// the browser goes back to `next` (a path of this site only); wrong, the form again with
/// 401; nobody signed in, `/login`.
pub async fn confirm(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<ConfirmForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(form)| form).unwrap_or_default();
    let secure = secure(state.secure_cookies, &headers);
    let (user, session) = match auth::user_for_headers(&state.pool, &headers, secure).await {
        Ok(Some(user)) => match SessionToken::from_headers(&headers, secure) {
            Some(session) => (user, session),
            None => return see_other("/login"),
        },
        Ok(None) => return see_other("/login"),
        Err(error) => return (error.status(), error.to_string()).into_response(),
    };
    let next = return_path(&form.next);
    if user.has_second_factor && form.code.trim().is_empty() {
        // A password alone would let whoever has it (and a stolen session) change the
        // factors themselves: a user with an app confirms with a code.
        let message = "Your sign-in has a second factor: confirm with a passkey, a code from your \
                       authenticator app, or one of your recovery codes."
            .to_string();
        return render(state, message, next, StatusCode::UNAUTHORIZED).await;
    }
    let address = address_key(connect.as_ref().map(|Extension(c)| c));
    let guard = state.sign_in.clone();
    let attempt = match guard.begin(&user.email, &address).await {
        Ok(attempt) => attempt,
        Err(refusal) => {
            let email = user.email.clone();
            let (status, retry_after, failure) =
                refusal_outcome(&state, email, &address, refusal).await;
            let response = render(state, failure.message, next, status).await;
            return with_retry_after(response, retry_after);
        }
    };
    let proved = if form.code.trim().is_empty() {
        let slot = match guard.hash_slot().await {
            Ok(slot) => slot,
            Err(_) => {
                guard.not_tried(attempt).await;
                let message = "The server is busy checking passwords. Try again in a moment.";
                return render(state, message.into(), next, StatusCode::SERVICE_UNAVAILABLE).await;
            }
        };
        password_matches(&state, &user, form.password, slot).await
    } else {
        let owner = Owner {
            account_id: user.account_id,
            user_id: user.user_id,
            name: &user.name,
            email: &user.email,
        };
        factors::check_code(&state.pool, owner, &form.code, now())
            .await
            .map(|checked| checked.accepted())
    };
    match proved {
        Ok(true) => {}
        Ok(false) => {
            prometheus::sign_in(SignInOutcome::ConfirmFailed);
            let message = "That password or code is incorrect. Try again.".to_string();
            return render(state, message, next, StatusCode::UNAUTHORIZED).await;
        }
        Err(error) => return (error.status(), error.to_string()).into_response(),
    }
    guard.succeeded(attempt).await;
    if let Err(error) = sessions::prove(&state.pool, &session.hash(), now()).await {
        return (error.status(), error.to_string()).into_response();
    }
    prometheus::sign_in(SignInOutcome::Confirmed);
    see_other(&next)
}

/// A redirect to `location`, a path [`return_path`] let through.
fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

async fn password_matches(
    state: &AppState,
    user: &Actor,
    typed: String,
    slot: app::ssr::sign_in_guard::HashSlot,
) -> Result<bool, AppError> {
    let email = EmailAddress::parse(&user.email).map_err(|_| AppError::Internal)?;
    let Some(stored) = users::find_credentials(&state.pool, &email).await? else {
        return Ok(false);
    };
    if typed.len() > 1024 {
        return Ok(false);
    }
    password::verify_on_hashers(typed, stored.password_hash, slot).await
}

/// The form again with `message`.
async fn render(state: AppState, message: String, next: String, status: StatusCode) -> Response {
    let failure = ConfirmAccessFailure { message, next };
    with_status(render_with(state, "/confirm-access", failure).await, status)
}

//! How a single sign-on that can't go on answers: the single sign-on page again, saying
//! why, with the sign-in's cookie removed.

use crate::routes::login::{render_with, with_status};
use crate::telemetry::outcomes::SignInOutcome;
use crate::telemetry::prometheus;
use app::pages::SsoFailure;
use app::ssr::sso_cookie::SsoCookie;
use app::ssr::state::AppState;
use axum::response::Response;
use http::header::{HeaderValue, SET_COOKIE};
use http::StatusCode;

/// The single sign-on page with `message` and `status`; `account` as typed.
pub(super) async fn refuse(
    state: AppState,
    status: StatusCode,
    message: impl Into<String>,
    account: String,
    secure: bool,
) -> Response {
    prometheus::sign_in(SignInOutcome::SsoRefused);
    let failure = SsoFailure {
        message: message.into(),
        account,
    };
    let mut response = with_status(render_with(state, "/login/sso", failure).await, status);
    if let Ok(value) = HeaderValue::from_str(&SsoCookie::removal_cookie(secure)) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

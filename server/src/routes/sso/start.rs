//! `POST /login/sso`: finds the account (by Account SID, or by a user's email), and sends
//! the browser on to its identity provider with a fresh `state`, `nonce` and PKCE
//! challenge, kept on the server under the browser's new single sign-on cookie. It answers
//! a page that goes on at once (`<meta http-equiv="refresh">`, and a link), not a redirect:
//! the form's `form-action 'self'` policy rightly stops a redirect to another site.

use super::refusal::refuse;
use crate::http::client_address::address_key;
use crate::routes::login::{render_with, secure, with_retry_after};
use crate::sso::provider::Providers;
use app::domain::return_path::return_path;
use app::domain::single_sign_on::SIGN_IN_SECS;
use app::domain::EmailAddress;
use app::error::AppError;
use app::pages::SsoOnward;
use app::ssr::db::single_sign_on::{self, SsoConfig};
use app::ssr::db::sso_logins::{self, Full, Login};
use app::ssr::db::{accounts, users};
use app::ssr::now;
use app::ssr::sso_cookie::SsoCookie;
use app::ssr::state::AppState;
use axum::extract::{rejection::FormRejection, ConnectInfo, State};
use axum::response::Response;
use axum::{Extension, Form};
use http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use http::StatusCode;
use openidconnect::core::CoreAuthenticationFlow;
use openidconnect::{CsrfToken, LoginHint, Nonce, PkceCodeChallenge, Scope};
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

/// The form: the account's SID or a user's email, and where to go once signed in.
#[derive(Deserialize, Default)]
pub struct StartForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    next: String,
}

const NOT_SET_UP: &str = "Single sign-on isn't set up for that account or email. Check it, or \
                          sign in with your password.";

pub async fn start(
    State(state): State<AppState>,
    Extension(providers): Extension<Arc<Providers>>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<StartForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(form)| form).unwrap_or_default();
    let secure = secure(state.secure_cookies, &headers);
    let typed: String = form.account.trim().chars().take(254).collect();
    let refused =
        |status, message: String| refuse(state.clone(), status, message, typed.clone(), secure);
    let (config, hint) = match account_of(&state, &typed).await {
        Ok(Some(found)) => found,
        Ok(None) => return refused(StatusCode::NOT_FOUND, NOT_SET_UP.to_string()).await,
        Err(error) => return refused(error.status(), error.to_string()).await,
    };
    let client = match providers.client(&config).await {
        Ok(client) => client,
        Err(error) => {
            let message = format!("Your identity provider can't be used right now: {error}.");
            return refused(StatusCode::BAD_GATEWAY, message).await;
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge);
    if let Some(hint) = hint {
        request = request.set_login_hint(LoginHint::new(hint));
    }
    let (url, csrf, nonce) = request.url();
    let login = Login {
        account_id: config.account_id,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: return_path(&form.next),
    };
    let cookie = SsoCookie::generate();
    let address = address_key(connect.as_ref().map(|Extension(c)| c));
    let now = now();
    let kept = sso_logins::keep(
        &state.pool,
        &cookie.hash(),
        &address,
        &login,
        now + SIGN_IN_SECS,
        now,
    )
    .await;
    match kept {
        Ok(Ok(())) => {}
        Ok(Err(Full::Address)) => {
            let message = "Too many single sign-ons from your network are waiting. Try again in a few minutes.";
            let response = refused(StatusCode::TOO_MANY_REQUESTS, message.to_string()).await;
            return with_retry_after(response, SIGN_IN_SECS as u64);
        }
        Ok(Err(Full::Table)) => {
            let message = "Too many single sign-ons are waiting. Try again in a minute.";
            let response = refused(StatusCode::SERVICE_UNAVAILABLE, message.to_string()).await;
            return with_retry_after(response, 60);
        }
        Err(error) => return refused(error.status(), error.to_string()).await,
    }
    let onward = SsoOnward {
        url: url.to_string(),
    };
    let mut response = render_with(state, "/login/sso", onward).await;
    if let Ok(value) = HeaderValue::from_str(&cookie.cookie(secure)) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}

/// The single sign-on of the account `typed` names (an Account SID, or a user's email,
/// which also becomes the provider's login hint).
async fn account_of(
    state: &AppState,
    typed: &str,
) -> Result<Option<(SsoConfig, Option<String>)>, AppError> {
    let (account_id, hint) = if typed.contains('@') {
        let Ok(email) = EmailAddress::parse(typed) else {
            return Ok(None);
        };
        match users::find_by_email(&state.pool, &email).await? {
            Some(user) => (user.account_id, Some(email.as_str().to_string())),
            None => return Ok(None),
        }
    } else {
        match accounts::find_by_sid(&state.pool, typed).await? {
            Some(account) => (account.id, None),
            None => return Ok(None),
        }
    };
    let config = single_sign_on::config(&state.pool, account_id).await?;
    Ok(config.map(|config| (config, hint)))
}

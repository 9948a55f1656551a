//! `GET /login/sso/callback`: the identity provider sends the browser back here. The
//! sign-in its cookie names is used up whatever happens; the `state` must match, the code
//! is exchanged with the PKCE verifier, and the ID token must come from the configured
//! issuer, for this client, signed by the provider's key, with this sign-in's nonce and
//! not expired. Then the user it names (linked before, by verified email, or created when
//! the account allows) gets a session.

use super::refusal::refuse;
use crate::routes::login::{secure, welcome};
use crate::sso::provider::Providers;
use crate::telemetry::outcomes::SignInOutcome;
use crate::telemetry::prometheus;
use app::domain::audit::AuditAction;
use app::domain::EmailAddress;
use app::ssr::auth;
use app::ssr::db::single_sign_on;
use app::ssr::db::sso_logins::{self, Found, Vouched};
use app::ssr::sso_cookie::SsoCookie;
use app::ssr::state::AppState;
use app::ssr::{now, sha256};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use http::header::{HeaderMap, HeaderValue, LOCATION, SET_COOKIE};
use http::StatusCode;
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, Nonce, PkceCodeVerifier,
    SignatureVerificationError, TokenResponse,
};
use serde::Deserialize;
use std::sync::Arc;

/// What the provider sends back: a code and our state, or an error.
#[derive(Deserialize, Default)]
pub struct Answer {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

const ENDED: &str = "This single sign-on has ended: it lasts 10 minutes, is used once and only \
                     in the browser that began it. Try again.";

pub async fn callback(
    State(state): State<AppState>,
    Extension(providers): Extension<Arc<Providers>>,
    headers: HeaderMap,
    answer: Result<Query<Answer>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let answer = answer.map(|Query(answer)| answer).unwrap_or_default();
    let secure = secure(state.secure_cookies, &headers);
    let refused =
        |status, message: String| refuse(state.clone(), status, message, String::new(), secure);
    let login = match SsoCookie::from_headers(&headers, secure) {
        Some(cookie) => sso_logins::take(&state.pool, &cookie.hash(), now()).await,
        None => Ok(None),
    };
    let login = match login {
        Ok(Some(login)) => login,
        Ok(None) => return refused(StatusCode::BAD_REQUEST, ENDED.to_string()).await,
        Err(error) => return refused(error.status(), error.to_string()).await,
    };
    let same_state = answer
        .state
        .as_deref()
        .is_some_and(|given| sha256(given) == sha256(&login.state));
    if !same_state {
        return refused(StatusCode::BAD_REQUEST, ENDED.to_string()).await;
    }
    if let Some(error) = answer.error.as_deref() {
        let code: String = error
            .chars()
            .filter(|c| c.is_ascii_lowercase() || *c == '_')
            .take(40)
            .collect();
        let message = format!("Your identity provider did not sign you in ({code}).");
        return refused(StatusCode::UNAUTHORIZED, message).await;
    }
    let Some(code) = answer
        .code
        .filter(|code| !code.is_empty() && code.len() <= 2048)
    else {
        return refused(StatusCode::BAD_REQUEST, ENDED.to_string()).await;
    };
    let config = match single_sign_on::config(&state.pool, login.account_id).await {
        Ok(Some(config)) => config,
        Ok(None) => {
            let message = "Single sign-on was turned off for this account meanwhile.";
            return refused(StatusCode::NOT_FOUND, message.to_string()).await;
        }
        Err(error) => return refused(error.status(), error.to_string()).await,
    };
    let client = match providers.client(&config).await {
        Ok(client) => client,
        Err(error) => {
            let message = format!("Your identity provider can't be used right now: {error}.");
            return refused(StatusCode::BAD_GATEWAY, message).await;
        }
    };
    let Ok(http) = providers.http() else {
        let message = "This server could not read the system's certificate roots.";
        return refused(StatusCode::BAD_GATEWAY, message.to_string()).await;
    };
    let exchanged = match client.exchange_code(AuthorizationCode::new(code)) {
        Ok(request) => {
            request
                .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier.clone()))
                .request_async(http)
                .await
        }
        Err(_) => {
            let message = "Your identity provider has no token endpoint.";
            return refused(StatusCode::BAD_GATEWAY, message.to_string()).await;
        }
    };
    let Ok(tokens) = exchanged else {
        let message = "Your identity provider refused to complete the sign-in. Try again; if \
                       it goes on, your administrator checks the client ID and secret.";
        return refused(StatusCode::BAD_GATEWAY, message.to_string()).await;
    };
    let Some(id_token) = tokens.id_token() else {
        let message = "Your identity provider sent no ID token.";
        return refused(StatusCode::BAD_GATEWAY, message.to_string()).await;
    };
    // A minute's leeway for clocks that disagree.
    let verifier = client
        .id_token_verifier()
        .set_time_fn(|| chrono::Utc::now() - chrono::Duration::seconds(60));
    let nonce = Nonce::new(login.nonce.clone());
    let claims = match id_token.claims(&verifier, &nonce) {
        Ok(claims) => claims,
        Err(error) => {
            if matches!(
                error,
                ClaimsVerificationError::SignatureVerification(
                    SignatureVerificationError::NoMatchingKey
                )
            ) {
                providers.forget(&config);
            }
            let message = format!(
                "Your identity provider's answer was refused: {}.",
                why_refused(&error)
            );
            return refused(StatusCode::UNAUTHORIZED, message).await;
        }
    };
    let email = claims
        .email()
        .and_then(|email| EmailAddress::parse(email.as_str()).ok());
    let verified = email
        .as_ref()
        .filter(|_| claims.email_verified() == Some(true));
    let name = claims
        .name()
        .and_then(|name| name.get(None))
        .map(|name| name.as_str().to_string());
    let vouched = Vouched {
        account_id: login.account_id,
        issuer: claims.issuer().as_str(),
        subject: claims.subject().as_str(),
        verified_email: verified,
        name: name.as_deref(),
    };
    let create_as = config.create_users.then(|| config.overview().default_role);
    let found = sso_logins::find_or_create(&state.pool, &vouched, create_as, now()).await;
    let user = match found {
        Ok(Found::User(user)) => user,
        Ok(Found::Nobody) => {
            let who = email
                .as_ref()
                .map(|e| e.as_str().to_string())
                .unwrap_or_else(|| claims.subject().as_str().to_string());
            let unverified = if email.is_some() && verified.is_none() {
                " (it did not say the email is verified)"
            } else {
                ""
            };
            let message = format!(
                "Your identity provider signed you in as {who}{unverified}, but this account \
                 has no Tokensmith user for it. Ask an Account Administrator to add you."
            );
            return refused(StatusCode::FORBIDDEN, message).await;
        }
        Err(error) => return refused(error.status(), error.to_string()).await,
    };
    if user.disabled_at.is_some() {
        let message = "Your user has been disabled. Ask an Account Administrator of your account.";
        return refused(StatusCode::FORBIDDEN, message.to_string()).await;
    }
    let opened = auth::open_session(&state.pool, user.user_id, &user.password_hash, false).await;
    let signed_in = match opened {
        Ok(signed_in) => signed_in,
        Err(error) => return refused(error.status(), error.to_string()).await,
    };
    let at = now();
    let audited = sso_logins::record_sign_in(
        &state.pool,
        login.account_id,
        user.user_id,
        AuditAction::SsoSignIn,
        at,
    );
    if let Err(error) = audited.await {
        tracing::error!(?error, "could not audit a single sign-on");
    }
    prometheus::sign_in(SignInOutcome::Sso);
    let mut response = welcome(&state, &headers, secure, signed_in, None).await;
    if login.next != "/" {
        if let Ok(next) = HeaderValue::from_str(&login.next) {
            response.headers_mut().insert(LOCATION, next);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&SsoCookie::removal_cookie(secure)) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// Why an ID token was refused, in words an administrator can act on.
fn why_refused(error: &ClaimsVerificationError) -> &'static str {
    match error {
        ClaimsVerificationError::InvalidIssuer(_) => "it comes from another issuer",
        ClaimsVerificationError::InvalidAudience(_) => "it is meant for another client",
        ClaimsVerificationError::InvalidNonce(_) => "it belongs to another sign-in",
        ClaimsVerificationError::Expired(_) => "it has expired",
        ClaimsVerificationError::SignatureVerification(_) => "its signature is not the provider's",
        _ => "it is not a valid ID token",
    }
}

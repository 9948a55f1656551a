//! `POST /login/passkeys/options`: starts a passkey ceremony.

use super::replies::{from_error, ready, refuse, refuse_for};
use crate::http::client_address::address_key;
use crate::routes::login::secure;
use app::domain::passkey::{PasskeyName, MAX_PASSKEYS};
use app::domain::Actor;
use app::error::AppError;
use app::ssr::auth::{self, SessionToken};
use app::ssr::db::passkey_challenges::{self, Full, NewChallenge, Purpose};
use app::ssr::db::{passkeys, pending_sign_ins};
use app::ssr::pending_cookie::PendingCookie;
use app::ssr::state::AppState;
use app::ssr::webauthn::{new_user_handle, Ceremony, RelyingParty, CHALLENGE_SECS};
use app::ssr::{now, random_cookie_value, sha256};
use axum::extract::{rejection::JsonRejection, ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use http::header::HeaderMap;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::net::SocketAddr;
use webauthn_rs::prelude::{Passkey, Uuid};

/// The request: what the ceremony is for, and a new passkey's name.
#[derive(Deserialize)]
pub struct OptionsRequest {
    purpose: String,
    #[serde(default)]
    name: String,
}

/// What an adding ceremony keeps until its answer: the name given, and the relying
/// party's state.
#[derive(Serialize, Deserialize)]
pub(super) struct Adding {
    pub name: String,
    /// The user's handle for their passkeys (the same for all of them).
    pub handle: Vec<u8>,
    pub state: String,
}

/// Answers `{"challenge": …, "publicKey": …}`: the id to send back with the answer, and the
/// options for `navigator.credentials.create()` or `.get()`.
pub async fn options(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Json<OptionsRequest>, JsonRejection>,
) -> Response {
    let expected = "Send a JSON object with the ceremony's purpose.";
    let (party, body) = match ready(&state, body, expected) {
        Ok(ready) => ready,
        Err(refusal) => return *refusal,
    };
    let Some(purpose) = Purpose::from_id(&body.purpose) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "The purpose is one of register, sign_in, second_step or confirm_access.",
        );
    };
    let secure = secure(state.secure_cookies, &headers);
    let started = match purpose {
        Purpose::Register => adding(&state, &party, &headers, secure, &body.name).await,
        Purpose::SignIn => party.start_discoverable().map(|c| (c, None)),
        Purpose::SecondStep => second_step(&state, &party, &headers, secure).await,
        Purpose::ConfirmAccess => confirming(&state, &party, &headers, secure).await,
    };
    let (ceremony, user_id) = match started {
        Ok(started) => started,
        Err(error) => return from_error(error),
    };
    let id = random_cookie_value();
    let address = address_key(connect.as_ref().map(|Extension(c)| c));
    let now = now();
    let challenge = NewChallenge {
        id_hash: &sha256(&id),
        purpose,
        user_id,
        address: &address,
        state: &ceremony.state,
        expires_at: now + CHALLENGE_SECS,
    };
    match passkey_challenges::keep(&state.pool, challenge, now).await {
        Ok(Ok(())) => {
            Json(json!({ "challenge": id, "publicKey": ceremony.options })).into_response()
        }
        Ok(Err(Full::Address)) => refuse_for(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many passkey sign-ins from your network are waiting. Try again in a few minutes.",
            CHALLENGE_SECS as u64,
        ),
        Ok(Err(Full::Table)) => refuse_for(
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many passkey sign-ins are waiting. Try again in a minute.",
            60,
        ),
        Err(error) => from_error(error),
    }
}

/// The signed-in user, and the hash of their session.
pub(super) async fn session_user(
    state: &AppState,
    headers: &HeaderMap,
    secure: bool,
) -> Result<(Actor, [u8; 32]), AppError> {
    let user = auth::user_for_headers(&state.pool, headers, secure).await?;
    let session = SessionToken::from_headers(headers, secure);
    match (user, session) {
        (Some(user), Some(session)) => Ok((user, session.hash())),
        _ => Err(AppError::Unauthorized),
    }
}

/// Adding a passkey: the signed-in user, recently proved (sudo mode), with a good name and
/// room for one more.
async fn adding(
    state: &AppState,
    party: &RelyingParty,
    headers: &HeaderMap,
    secure: bool,
    name: &str,
) -> Result<(Ceremony, Option<i64>), AppError> {
    let (user, _) = session_user(state, headers, secure).await?;
    if user.must_change_password {
        return Err(AppError::Forbidden);
    }
    auth::require_recent_proof(&user)?;
    let name = PasskeyName::parse(name).map_err(|error| AppError::Refused(error.to_string()))?;
    let stored = passkeys::stored(&state.pool, user.user_id).await?;
    if stored.len() >= MAX_PASSKEYS {
        return Err(AppError::Conflict(format!(
            "You have {MAX_PASSKEYS} passkeys, the most one user may keep. Remove one first."
        )));
    }
    let handle = stored
        .first()
        .and_then(|passkey| Uuid::from_slice(&passkey.user_handle).ok())
        .unwrap_or_else(new_user_handle);
    let exclude = stored.into_iter().map(|p| p.credential_id).collect();
    let ceremony = party.start_registration(handle, &user.email, &user.name, exclude)?;
    let adding = Adding {
        name: name.as_str().to_string(),
        handle: handle.as_bytes().to_vec(),
        state: ceremony.state,
    };
    let state = serde_json::to_string(&adding).map_err(|_| AppError::Internal)?;
    Ok((Ceremony { state, ..ceremony }, Some(user.user_id)))
}

/// The second step of a sign-in: the pending sign-in's user, who must have a passkey.
async fn second_step(
    state: &AppState,
    party: &RelyingParty,
    headers: &HeaderMap,
    secure: bool,
) -> Result<(Ceremony, Option<i64>), AppError> {
    let cookie = PendingCookie::from_headers(headers, secure).ok_or(AppError::Unauthorized)?;
    let pending = pending_sign_ins::find(&state.pool, &cookie.hash(), now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    asking(state, party, pending.user_id).await
}

/// **Confirm access**: the signed-in user, who must have a passkey.
async fn confirming(
    state: &AppState,
    party: &RelyingParty,
    headers: &HeaderMap,
    secure: bool,
) -> Result<(Ceremony, Option<i64>), AppError> {
    let (user, _) = session_user(state, headers, secure).await?;
    asking(state, party, user.user_id).await
}

/// A request for one of `user_id`'s passkeys.
async fn asking(
    state: &AppState,
    party: &RelyingParty,
    user_id: i64,
) -> Result<(Ceremony, Option<i64>), AppError> {
    let stored = passkeys::stored(&state.pool, user_id).await?;
    let passkeys: Vec<Passkey> = stored
        .iter()
        .filter_map(|p| serde_json::from_str(&p.credential).ok())
        .collect();
    if passkeys.is_empty() {
        return Err(AppError::Refused(
            "You have no passkey. Use your authenticator app or a recovery code.".to_string(),
        ));
    }
    Ok((party.start_authentication(&passkeys)?, Some(user_id)))
}

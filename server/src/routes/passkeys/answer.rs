//! `POST /login/passkeys/answer`: finishes the ceremony its challenge started, for what it was
//! started for. The challenge is used up whatever the answer. Every answer that proves a
//! user (signing in, the second step, **Confirm access**) counts as a sign-in attempt of
//! their account, under the same limits as passwords and codes.

use super::options::{session_user, Adding};
use super::replies::{as_json, from_error, ready, refuse, refuse_for};
use crate::http::client_address::address_key;
use crate::routes::login::{begin_second_step, known_device, refusal_outcome, secure, welcome};
use crate::routes::second_step::{complete, wrong_code, Finished};
use crate::telemetry::outcomes::SignInOutcome;
use crate::telemetry::prometheus;
use app::domain::return_path::return_path;
use app::domain::second_factor::show_recovery_code;
use app::error::AppError;
use app::ssr::auth;
use app::ssr::db::passkey_challenges::{self, Challenge, Purpose};
use app::ssr::db::passkeys::{self, NewPasskey, StoredPasskey};
use app::ssr::db::second_factors::Owner;
use app::ssr::db::{pending_sign_ins, sessions};
use app::ssr::factors;
use app::ssr::pending_cookie::PendingCookie;
use app::ssr::sign_in_guard::Attempt;
use app::ssr::state::AppState;
use app::ssr::webauthn::RelyingParty;
use app::ssr::{now, sha256};
use axum::extract::{rejection::JsonRejection, ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use http::header::HeaderMap;
use http::StatusCode;
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use webauthn_rs::prelude::{Passkey, PublicKeyCredential, RegisterPublicKeyCredential};

/// The request: the challenge's id, the browser's credential (`PublicKeyCredential`'s
/// `toJSON()`), and where to go back to after **Confirm access**.
#[derive(Deserialize)]
pub struct AnswerRequest {
    challenge: String,
    credential: serde_json::Value,
    #[serde(default)]
    next: String,
}

const ENDED: &str =
    "This passkey request has ended: each is used once, within 5 minutes. Try again.";
const NOT_VERIFIED: &str = "Your passkey could not be verified. Try again, or use another \
                            way to sign in.";
const UNKNOWN: &str = "That passkey isn't registered for this console. Use another passkey, or \
                       sign in with your password.";

/// The ceremony's result: a sign-in answers `{"next": …}` with its cookies, **Confirm
/// access** `{"next": …}`, adding a passkey `{"recovery_codes": …}` (the user's first factor
/// brings 10, shown once; otherwise `null`).
pub async fn answer(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Json<AnswerRequest>, JsonRejection>,
) -> Response {
    let expected = "Send a JSON object with the challenge and the credential.";
    let (party, body) = match ready(&state, body, expected) {
        Ok(ready) => ready,
        Err(refusal) => return *refusal,
    };
    if body.challenge.len() > 64 {
        return refuse(StatusCode::BAD_REQUEST, ENDED);
    }
    let taken = passkey_challenges::take(&state.pool, &sha256(&body.challenge), now()).await;
    let challenge = match taken {
        Ok(Some(challenge)) => challenge,
        Ok(None) => return refuse(StatusCode::BAD_REQUEST, ENDED),
        Err(error) => return from_error(error),
    };
    let asked = Asked {
        state: &state,
        party: &party,
        headers: &headers,
        secure: secure(state.secure_cookies, &headers),
        address: address_key(connect.as_ref().map(|Extension(c)| c)),
        challenge,
    };
    match Purpose::from_id(&asked.challenge.purpose) {
        Some(Purpose::Register) => adding(asked, body.credential).await,
        Some(Purpose::SignIn) => signing_in(asked, body.credential).await,
        Some(Purpose::SecondStep) => second_step(asked, body.credential).await,
        Some(Purpose::ConfirmAccess) => confirming(asked, body.credential, &body.next).await,
        None => refuse(StatusCode::BAD_REQUEST, ENDED),
    }
}

/// An answer and what it answers.
struct Asked<'a> {
    state: &'a AppState,
    party: &'a RelyingParty,
    headers: &'a HeaderMap,
    secure: bool,
    address: String,
    challenge: Challenge,
}

impl Asked<'_> {
    /// The signed-in user, who must be the one the ceremony was started for, and the hash
    /// of their session.
    async fn session_owner(&self) -> Result<(app::domain::Actor, [u8; 32]), Response> {
        let found = session_user(self.state, self.headers, self.secure).await;
        let (user, session) = found.map_err(from_error)?;
        if self.challenge.user_id != Some(user.user_id) {
            return Err(refuse(StatusCode::FORBIDDEN, ENDED));
        }
        Ok((user, session))
    }
}

async fn adding(asked: Asked<'_>, credential: serde_json::Value) -> Response {
    let state = asked.state;
    let (user, session) = match asked.session_owner().await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    if let Err(error) = auth::require_recent_proof(&user) {
        return from_error(error);
    }
    let Ok(adding) = serde_json::from_str::<Adding>(&asked.challenge.state) else {
        return refuse(StatusCode::BAD_REQUEST, ENDED);
    };
    let Ok(credential) = serde_json::from_value::<RegisterPublicKeyCredential>(credential) else {
        return refuse(StatusCode::BAD_REQUEST, NOT_VERIFIED);
    };
    let Some(passkey) = asked.party.finish_registration(&credential, &adding.state) else {
        return refuse(StatusCode::BAD_REQUEST, NOT_VERIFIED);
    };
    let name = match app::domain::passkey::PasskeyName::parse(&adding.name) {
        Ok(name) => name,
        Err(error) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, error.to_string()),
    };
    let Ok(record) = serde_json::to_string(&passkey) else {
        return from_error(AppError::Internal);
    };
    let (codes, hashes) = factors::new_recovery_codes();
    let owner = Owner {
        account_id: user.account_id,
        user_id: user.user_id,
        name: &user.name,
        email: &user.email,
    };
    let new = NewPasskey {
        credential_id: passkey.cred_id(),
        user_handle: &adding.handle,
        name: &name,
        credential: &record,
        code_hashes: &hashes,
        keep: &session,
    };
    match passkeys::add(&state.pool, owner, new, now()).await {
        Ok(true) => {
            let shown: Vec<String> = codes.iter().map(|code| show_recovery_code(code)).collect();
            Json(json!({ "recovery_codes": shown })).into_response()
        }
        Ok(false) => Json(json!({ "recovery_codes": null })).into_response(),
        Err(error) => from_error(error),
    }
}

async fn signing_in(asked: Asked<'_>, credential: serde_json::Value) -> Response {
    let state = asked.state;
    let Ok(credential) = serde_json::from_value::<PublicKeyCredential>(credential) else {
        return refuse(StatusCode::BAD_REQUEST, NOT_VERIFIED);
    };
    let Some((handle, credential_id)) = RelyingParty::identify(&credential) else {
        return failed(StatusCode::UNAUTHORIZED, UNKNOWN);
    };
    let stored = match passkeys::by_credential(&state.pool, &credential_id).await {
        Ok(Some(stored)) if stored.user_handle == handle => stored,
        Ok(_) => return failed(StatusCode::UNAUTHORIZED, UNKNOWN),
        Err(error) => return from_error(error),
    };
    let user = match passkeys::user(&state.pool, stored.user_id).await {
        Ok(Some(user)) => user,
        Ok(None) => return failed(StatusCode::UNAUTHORIZED, UNKNOWN),
        Err(error) => return from_error(error),
    };
    let attempt = match begin(&asked, &user.email).await {
        Ok(attempt) => attempt,
        Err(response) => return response,
    };
    let checked = verify(&asked, &credential, &stored, true).await;
    if let Err(response) = checked {
        return response;
    }
    if user.disabled_at.is_some() {
        return refuse(
            StatusCode::FORBIDDEN,
            "Your user has been disabled. Ask an Account Administrator of your account.",
        );
    }
    match app::ssr::db::single_sign_on::required_of(&state.pool, user.user_id).await {
        Ok(Some(true)) => {
            prometheus::sign_in(SignInOutcome::SsoRequired);
            return refuse(
                StatusCode::FORBIDDEN,
                "Your account signs in with single sign-on: use Sign in with single sign-on.",
            );
        }
        Ok(_) => {}
        Err(error) => return from_error(error),
    }
    state.sign_in.succeeded(attempt).await;
    let opened = auth::open_session(
        &state.pool,
        user.user_id,
        &user.password_hash,
        user.must_change_password,
    )
    .await;
    let signed_in = match opened {
        Ok(signed_in) => signed_in,
        Err(error) => return from_error(error),
    };
    prometheus::sign_in(SignInOutcome::Passkey);
    let device = known_device(state, asked.headers, asked.secure, &user.email).await;
    as_json(welcome(state, asked.headers, asked.secure, signed_in, device).await)
}

async fn second_step(asked: Asked<'_>, credential: serde_json::Value) -> Response {
    let state = asked.state;
    let ended = || {
        refuse(
            StatusCode::UNAUTHORIZED,
            "Your sign-in took too long or has ended. Sign in again.",
        )
    };
    let Some(cookie) = PendingCookie::from_headers(asked.headers, asked.secure) else {
        return ended();
    };
    let pending = match pending_sign_ins::find(&state.pool, &cookie.hash(), now()).await {
        Ok(Some(pending)) if Some(pending.user_id) == asked.challenge.user_id => pending,
        Ok(_) => return ended(),
        Err(error) => return from_error(error),
    };
    let (device, begun) = begin_second_step(
        state,
        asked.headers,
        asked.secure,
        &pending.email,
        &asked.address,
    )
    .await;
    let attempt = match begun {
        Ok(attempt) => attempt,
        Err(refusal) => return refused(&asked, &pending.email, refusal).await,
    };
    let proved = match own_passkey(&asked, &credential, pending.user_id).await {
        Ok(Some((credential, stored))) => verify(&asked, &credential, &stored, false).await,
        Ok(None) => Err(failed(StatusCode::UNAUTHORIZED, NOT_VERIFIED)),
        Err(response) => Err(response),
    };
    if let Err(response) = proved {
        if let Err(error) = wrong_code(&state.pool, &cookie, &pending).await {
            return from_error(error);
        }
        return response;
    }
    state.sign_in.succeeded(attempt).await;
    let finished = Finished {
        cookie: &cookie,
        pending: &pending,
        device,
        outcome: SignInOutcome::Passkey,
    };
    as_json(complete(state, asked.headers, asked.secure, finished).await)
}

async fn confirming(asked: Asked<'_>, credential: serde_json::Value, next: &str) -> Response {
    let state = asked.state;
    let (user, session) = match asked.session_owner().await {
        Ok(found) => found,
        Err(refusal) => return refusal,
    };
    let attempt = match begin(&asked, &user.email).await {
        Ok(attempt) => attempt,
        Err(response) => return response,
    };
    let proved = match own_passkey(&asked, &credential, user.user_id).await {
        Ok(Some((credential, stored))) => verify(&asked, &credential, &stored, false).await,
        Ok(None) => Err(failed(StatusCode::UNAUTHORIZED, NOT_VERIFIED)),
        Err(response) => Err(response),
    };
    if let Err(response) = proved {
        prometheus::sign_in(SignInOutcome::ConfirmFailed);
        return response;
    }
    state.sign_in.succeeded(attempt).await;
    if let Err(error) = sessions::prove(&state.pool, &session, now()).await {
        return from_error(error);
    }
    prometheus::sign_in(SignInOutcome::Confirmed);
    Json(json!({ "next": return_path(next) })).into_response()
}

/// The credential of an answer, if it is one of `user_id`'s passkeys.
async fn own_passkey(
    asked: &Asked<'_>,
    credential: &serde_json::Value,
    user_id: i64,
) -> Result<Option<(PublicKeyCredential, StoredPasskey)>, Response> {
    let Ok(credential) = serde_json::from_value::<PublicKeyCredential>(credential.clone()) else {
        return Ok(None);
    };
    let id = credential.get_credential_id().to_vec();
    match passkeys::by_credential(&asked.state.pool, &id).await {
        Ok(Some(stored)) if stored.user_id == user_id => Ok(Some((credential, stored))),
        Ok(_) => Ok(None),
        Err(error) => Err(from_error(error)),
    }
}

/// Checks the answer against the ceremony and the stored passkey; right, records the use
/// (its new signature counter).
async fn verify(
    asked: &Asked<'_>,
    credential: &PublicKeyCredential,
    stored: &StoredPasskey,
    discoverable: bool,
) -> Result<(), Response> {
    let Ok(passkey) = serde_json::from_str::<Passkey>(&stored.credential) else {
        return Err(from_error(AppError::Internal));
    };
    let state = &asked.challenge.state;
    let Some(used) = asked
        .party
        .finish_authentication(credential, state, discoverable, passkey)
    else {
        return Err(failed(StatusCode::UNAUTHORIZED, NOT_VERIFIED));
    };
    let Ok(record) = serde_json::to_string(&used) else {
        return Err(from_error(AppError::Internal));
    };
    passkeys::record_use(&asked.state.pool, stored.id, &record, now())
        .await
        .map_err(from_error)
}

/// Counts an attempt of `email`'s account from the answer's address.
async fn begin(asked: &Asked<'_>, email: &str) -> Result<Attempt, Response> {
    match asked.state.sign_in.begin(email, &asked.address).await {
        Ok(attempt) => Ok(attempt),
        Err(refusal) => Err(refused(asked, email, refusal).await),
    }
}

async fn refused(
    asked: &Asked<'_>,
    email: &str,
    refusal: app::ssr::sign_in_guard::Refusal,
) -> Response {
    let (status, retry_after, failure) =
        refusal_outcome(asked.state, email.to_string(), &asked.address, refusal).await;
    refuse_for(status, failure.message, retry_after)
}

/// A passkey answer that proved nothing, counted.
fn failed(status: StatusCode, message: &str) -> Response {
    prometheus::sign_in(SignInOutcome::PasskeyFailed);
    refuse(status, message)
}

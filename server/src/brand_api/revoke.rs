//! `POST /oauth/revoke` (RFC 7009): whoever holds a token's Auth Token can revoke it, with
//! no account session, so a leaked secret can be killed by whoever finds it. The answer is
//! 200 with an empty body for any input (RFC 7009 §2.2): it tells nobody whether a secret
//! was valid. A token's current secret: the token is disabled until a Reset; a Reset's
//! old secret during its overlap: the overlap ends. Audited; the contacts are told.

use super::credentials::{self, client_key, error, too_many};
use super::ApiState;
use app::domain::TokenSecret;
use app::ssr::credentials::hash_secret;
use app::ssr::db::holder_revocation;
use app::ssr::now;
use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use http::StatusCode;
use serde::Deserialize;
use std::net::SocketAddr;

/// The form fields of a revocation request.
#[derive(Deserialize)]
pub struct RevocationForm {
    token: Option<String>,
    #[allow(dead_code)]
    token_type_hint: Option<String>,
}

/// Revokes `token` if it is a live token's Auth Token (or old one); 200 whatever it was.
pub async fn handle(
    State(state): State<ApiState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    form: Result<Form<RevocationForm>, FormRejection>,
) -> Response {
    // Every call counts, valid or not: nobody learns anything by trying many.
    let client = format!("{} revoke", client_key(connect.as_ref().map(|c| &c.0)));
    if let Err(wait) = state.revocations.take(&client).await {
        return too_many(wait);
    }
    let answered = || StatusCode::OK.into_response();
    let Some(token) = form.ok().and_then(|Form(form)| form.token) else {
        return answered();
    };
    let Ok(secret) = TokenSecret::parse(token.trim()) else {
        return answered();
    };
    let found = match credentials::lookup(&state, &secret).await {
        Ok(Some(found)) => found,
        Ok(None) => return answered(),
        Err(response) => return response,
    };
    // A Reset's old secret: its overlap ends, and the token keeps working with its
    // current secret. The current secret: the token is disabled.
    let hash = hash_secret(&secret);
    let revoked = if found.old_secret {
        holder_revocation::revoke_old_secret(&state.pool, found.token_id, &hash, now()).await
    } else {
        holder_revocation::revoke(&state.pool, found.token_id, &hash, now()).await
    };
    match revoked {
        Ok(true) => {
            tracing::warn!(sid = %found.grant.sid, old_secret = found.old_secret, "secret revoked by its holder");
            state.outbox.wake();
            answered()
        }
        Ok(false) => answered(),
        Err(_) => error(StatusCode::SERVICE_UNAVAILABLE, "Try again shortly."),
    }
}

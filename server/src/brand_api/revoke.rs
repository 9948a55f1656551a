//! `POST /oauth/revoke` (RFC 7009): whoever holds a token's Auth Token can revoke it, with
//! no account session, so a leaked secret can be killed by whoever finds it. The answer is
//! 200 with an empty body for any token sent (RFC 7009 §2.2): it tells nobody whether a
//! secret was valid. A request without a token is 400 `invalid_request` (§2.2.1). A token's current secret: the token is disabled until a Reset; a Reset's
//! old secret during its overlap: the overlap ends. Audited; the contacts are told.

use super::credentials::{self, client_key};
use super::oauth_error::{invalid_request, refused_hint, too_many, unavailable, OAuthError};
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
use utoipa::ToSchema;

/// The form fields of a revocation request.
#[derive(Deserialize, ToSchema)]
pub struct RevocationForm {
    /// The Auth Token (`tsm_…`) to revoke.
    #[schema(required = true, min_length = 1)]
    token: Option<String>,
    /// `access_token`, or absent: Tokensmith issues access tokens only (`refresh_token` is
    /// refused with `unsupported_token_type`; other values are ignored).
    token_type_hint: Option<String>,
}

/// Revoke an Auth Token you hold (RFC 7009).
///
/// Whoever holds an Auth Token can revoke it, with no account and no other credential: a
/// leaked secret can be killed by whoever finds it. A token's current Auth Token disables
/// the token until an administrator resets it; the old Auth Token of a reset still in its
/// overlap ends the overlap. The answer is the same empty 200 for any token sent (RFC 7009
/// §2.2), so it tells nobody whether a secret was valid. The token's contacts are told.
#[utoipa::path(
    post,
    path = "/oauth/revoke",
    operation_id = "revoke",
    tag = "Revocation",
    request_body(content = RevocationForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Done, or nothing to do: the same empty answer either way."),
        (status = 400, description = "`invalid_request`: the body isn't a form with a non-empty `token` field; `unsupported_token_type`: the hint is `refresh_token`.", body = OAuthError),
        (status = 429, description = "`temporarily_unavailable`: more calls from this address than the limit per minute (`TOKENSMITH_REVOCATION_LIMIT`).", body = OAuthError,
            headers(("Retry-After" = String, description = "Seconds to wait."))),
        (status = 503, description = "`temporarily_unavailable`: the database could not be reached; nothing was revoked. Try again shortly.", body = OAuthError),
    ),
    security(())
)]
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
    let Ok(Form(form)) = form else {
        return invalid_request(
            "Send the token as a form (application/x-www-form-urlencoded): token=<Auth Token>.",
        );
    };
    let Some(token) = form.token.filter(|t| !t.is_empty()) else {
        return invalid_request("The form field token is required.");
    };
    if let Some(refused) = refused_hint(form.token_type_hint.as_deref()) {
        return refused;
    }
    let Ok(secret) = TokenSecret::parse(token.trim()) else {
        return answered();
    };
    let found = match credentials::lookup(&state, &secret).await {
        Ok(Some(found)) => found,
        Ok(None) => return answered(),
        Err(credentials::Unavailable) => return unavailable(),
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
            answered()
        }
        Ok(false) => answered(),
        Err(_) => unavailable(),
    }
}

//! `POST /secret-scanning/report`: anyone who finds an Auth Token (in a ticket, a paste, a
//! log) can report it without GitHub's keys. The answer is always the same 202 once the
//! body is a list of at most 100 secrets: it says nothing about any of them, and the work
//! is done after answering, so not even its timing tells a live secret from a dead one.

use super::handle_one;
use crate::brand_api::credentials::{client_key, error, too_many};
use crate::brand_api::ApiState;
use app::domain::exposure::Reporter;
use app::domain::TokenSecret;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::ToSchema;

/// The most secrets one call may report.
pub const MAX_SECRETS: usize = 100;

/// One reported secret: the Auth Token alone, or with where it was found.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ReportedSecret {
    /// The Auth Token (`tsm_…`).
    Token(String),
    /// The Auth Token and where it was found.
    Found {
        /// The Auth Token (`tsm_…`).
        token: String,
        /// Where it was found (shown to the token's owners as text, never as a link).
        url: Option<String>,
    },
}

/// The answer: how many secrets were received, never what they were.
#[derive(Serialize, ToSchema)]
pub struct Received {
    /// How many secrets the body held.
    received: usize,
}

/// Report secrets you found.
///
/// Anyone who finds an Auth Token in public (a ticket, a paste, a log) can report it here,
/// with no account and no key. Each secret that is a token's is handled by its account's
/// **When a token is exposed** policy, as a GitHub report would be. The answer is the same
/// 202 whatever the secrets were: it tells nobody whether any was valid.
#[utoipa::path(
    post,
    path = "/secret-scanning/report",
    operation_id = "report_secrets",
    tag = "Secret scanning",
    request_body(content = Vec<ReportedSecret>, content_type = "application/json"),
    responses(
        (status = 202, description = "Received; each secret is looked at shortly after.", body = Received),
        (status = 400, description = "The body is not a JSON array of secrets, each a string or an object with a string `token` (and a string `url`).", body = crate::brand_api::credentials::ApiError),
        (status = 413, description = "More than 100 secrets, or a body over 64 KiB.", body = crate::brand_api::credentials::ApiError),
        (status = 503, description = "Too many reports are being looked at right now; send it again shortly.", body = crate::brand_api::credentials::ApiError),
        (status = 429, description = "More calls from this address than the limit per minute (`TOKENSMITH_REPORT_LIMIT`).", body = crate::brand_api::credentials::ApiError,
            headers(("Retry-After" = String, description = "Seconds to wait."))),
    ),
    security(())
)]
pub async fn handle(
    State(state): State<ApiState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Bytes,
) -> Response {
    let client = format!("{} report", client_key(connect.as_ref().map(|c| &c.0)));
    if let Err(wait) = state.reports.take(&client).await {
        return too_many(wait);
    }
    // Each item a string or {"token", "url"}, as documented (an item of another shape says
    // nothing about any secret: refusing it is no oracle).
    let Ok(items) = serde_json::from_slice::<Vec<ReportedSecret>>(&body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "The body must be a JSON array of Auth Tokens, each a string or {\"token\": …, \"url\": …}.",
        );
    };
    if items.len() > MAX_SECRETS {
        let message = format!("At most {MAX_SECRETS} secrets per call.");
        return error(StatusCode::PAYLOAD_TOO_LARGE, &message);
    }
    let received = items.len();
    // What could be an Auth Token, with its URL; text that can't be one is passed over (and
    // answered alike).
    let secrets: Vec<(String, Option<String>)> = items
        .into_iter()
        .map(|secret| match secret {
            ReportedSecret::Token(token) => (token, None),
            ReportedSecret::Found { token, url } => (token, url),
        })
        .filter(|(token, _)| TokenSecret::parse(token.trim()).is_ok())
        .collect();
    if secrets.is_empty() {
        return (StatusCode::ACCEPTED, Json(Received { received })).into_response();
    }
    // A bounded number of reports are looked at at once; past it, the caller retries.
    let Ok(permit) = state.report_workers.clone().try_acquire_owned() else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many reports are being looked at: send it again in a few seconds.",
        );
    };
    let pool = state.pool.clone();
    tokio::spawn(async move {
        let _permit = permit;
        for (token, url) in secrets {
            if let Err(error) = handle_one(&pool, &token, url.as_deref(), &Reporter::Public).await {
                tracing::error!(?error, "a reported secret was not looked at");
            }
        }
    });
    (StatusCode::ACCEPTED, Json(Received { received })).into_response()
}

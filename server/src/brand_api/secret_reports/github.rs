//! `POST /secret-scanning/github`: GitHub's secret-scanning partner program. GitHub sends a
//! JSON array of matches (`token`, `type`, `url`, `source`) signed with one of its keys;
//! the answer is its feedback array, one entry per match: `token_hash` (SHA-256 of the
//! token as sent, hex), `token_type` (as sent) and `label` (`true_positive`: a token's
//! secret, acted on; `false_positive`: not one of ours). An unsigned or wrongly signed
//! report is 401 and changes nothing.

use super::handle_one;
use crate::brand_api::credentials::error;
use crate::brand_api::ApiState;
use app::domain::exposure::Reporter;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

/// The most matches one report may carry.
pub const MAX_MATCHES: usize = 500;
/// The longest `token_type` echoed back.
const MAX_TYPE: usize = 64;

/// One match GitHub found.
#[derive(Deserialize, ToSchema)]
pub struct GitHubMatch {
    /// The string that matched the Auth Token pattern.
    token: String,
    /// The secret type GitHub matched (echoed in the feedback).
    #[serde(rename = "type")]
    kind: String,
    /// Where it was found on GitHub.
    url: Option<String>,
    /// What kind of place it was found in (`content`, `commit`, `pull_request_title`, `gist`, `npm`, …).
    source: Option<String>,
}

/// GitHub's feedback on one match.
#[derive(Serialize, ToSchema)]
pub struct Feedback {
    /// SHA-256 of the token as sent, lowercase hex.
    token_hash: String,
    /// The `type` of the match, as sent.
    token_type: String,
    /// `true_positive`: a token's secret (acted on per the account's policy); `false_positive`: not a secret of any token.
    label: &'static str,
}

/// Report secrets found by GitHub's secret scanning.
///
/// GitHub's secret-scanning partner program calls this with the Auth Tokens it found in
/// public repositories, gists and packages. The body must be signed by one of the keys in
/// `TOKENSMITH_SECRET_SCANNING_KEYS` (`Github-Public-Key-Identifier`,
/// `Github-Public-Key-Signature`: ECDSA P-256 over SHA-256 of the raw body). Each secret
/// that is a token's is handled by its account's **When a token is exposed** policy, once:
/// a second report of the same secret changes nothing.
#[utoipa::path(
    post,
    path = "/secret-scanning/github",
    operation_id = "report_github",
    tag = "Secret scanning",
    request_body(content = Vec<GitHubMatch>, content_type = "application/json"),
    params(
        ("Github-Public-Key-Identifier" = String, Header, description = "Which of GitHub's keys signed the body."),
        ("Github-Public-Key-Signature" = String, Header, description = "Base64 of the DER ECDSA P-256 signature over SHA-256 of the raw body."),
    ),
    responses(
        (status = 200, description = "One feedback entry per match, in order.", body = Vec<Feedback>),
        (status = 400, description = "The body is not a JSON array of matches.", body = crate::brand_api::credentials::ApiError),
        (status = 401, description = "No signature, an unknown key, or a signature that does not match the body (or no keys configured): nothing was done.", body = crate::brand_api::credentials::ApiError),
        (status = 413, description = "More than 500 matches, or a body over 64 KiB.", body = crate::brand_api::credentials::ApiError),
        (status = 503, description = "The database could not be reached; send the report again (it is safe to repeat).", body = crate::brand_api::credentials::ApiError),
    ),
    security(())
)]
pub async fn handle(State(state): State<ApiState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(problem) = state.scanning_keys.verify(&headers, &body) {
        tracing::warn!(%problem, "secret-scanning report refused");
        let message = format!("Signature refused: {problem}.");
        return error(StatusCode::UNAUTHORIZED, &message);
    }
    let matches: Vec<GitHubMatch> = match serde_json::from_slice(&body) {
        Ok(matches) => matches,
        Err(_) => {
            return error(
                StatusCode::BAD_REQUEST,
                "The body must be a JSON array of matches: [{\"token\": …, \"type\": …, \"url\": …, \"source\": …}].",
            )
        }
    };
    if matches.len() > MAX_MATCHES {
        let message = format!("At most {MAX_MATCHES} matches per report.");
        return error(StatusCode::PAYLOAD_TOO_LARGE, &message);
    }
    let mut feedback = Vec::with_capacity(matches.len());
    for found in &matches {
        let reporter = Reporter::github(found.source.as_deref());
        let label =
            match handle_one(&state.pool, &found.token, found.url.as_deref(), &reporter).await {
                Ok(label) => label,
                Err(_) => {
                    return error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "The database could not be reached: send the report again shortly.",
                    )
                }
            };
        feedback.push(Feedback {
            token_hash: hex(&Sha256::digest(found.token.as_bytes())),
            token_type: found.kind.chars().take(MAX_TYPE).collect(),
            label: label.label(),
        });
    }
    Json(feedback).into_response()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

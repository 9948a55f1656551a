//! `POST /oauth/introspect` (RFC 7662) for other services, authenticated by the
//! operator's key. Anything not usable is only `{"active":false}`.

use super::credentials::{self, client_key, error, too_many};
use super::ApiState;
use crate::prometheus;
use app::domain::authorize::usable;
use app::domain::TokenSecret;
use app::ssr::now;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::{Form, Json};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use std::net::SocketAddr;

/// The form fields of an introspection request.
#[derive(Deserialize)]
pub struct IntrospectionForm {
    token: Option<String>,
    #[allow(dead_code)]
    token_type_hint: Option<String>,
}

/// Answers whether `token` is usable, and what it may do.
pub async fn handle(
    State(state): State<ApiState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<IntrospectionForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Some(key) = state.introspection_key else {
        prometheus::introspection("refused", "off");
        return error(
            StatusCode::NOT_FOUND,
            "Introspection is off: the operator has not set TOKENSMITH_INTROSPECTION_KEY.",
        );
    };
    let client = format!(
        "{} introspection",
        client_key(connect.as_ref().map(|c| &c.0))
    );
    if let Err(wait) = state.failures.check(&client).await {
        prometheus::introspection("refused", "rate_limited");
        return too_many(wait);
    }
    if !bearer_matches(&headers, &key) {
        prometheus::introspection("refused", "bad_key");
        state.failures.record(&client).await;
        let mut response = error(
            StatusCode::UNAUTHORIZED,
            "Send the introspection key as Authorization: Bearer <key>.",
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return response;
    }
    if let Err(wait) = state.introspections.take("introspection-key").await {
        prometheus::introspection("refused", "rate_limited");
        return too_many(wait);
    }
    let Ok(Form(form)) = form else {
        prometheus::introspection("refused", "bad_request");
        return error(
            StatusCode::BAD_REQUEST,
            "Send the token as a form field: token=<Auth Token>.",
        );
    };
    let Some(token) = form.token.filter(|t| !t.is_empty()) else {
        prometheus::introspection("refused", "bad_request");
        return error(StatusCode::BAD_REQUEST, "The form field token is required.");
    };
    let inactive = || {
        prometheus::introspection("inactive", "");
        Json(serde_json::json!({ "active": false })).into_response()
    };
    let Ok(secret) = TokenSecret::parse(token.trim()) else {
        return inactive();
    };
    let found = match credentials::lookup(&state, &secret).await {
        Ok(Some(found)) => found,
        Ok(None) => return inactive(),
        Err(response) => {
            prometheus::introspection("refused", "unavailable");
            return response;
        }
    };
    let now = now();
    if usable(&found.grant, now).is_err() {
        return inactive();
    }
    state.last_used.note(found.token_id, now);
    prometheus::introspection("active", "");
    let scope: Vec<&str> = found.grant.scopes.iter().map(String::as_str).collect();
    let mut answer = serde_json::json!({
        "active": true,
        "scope": scope.join(" "),
        "sid": found.grant.sid,
        "account": found.grant.account_sid,
        "api_version": found.grant.api_version,
        "iat": found.issued_at,
        "token_type": "access_token",
        // Resource servers enforce it: empty means any address.
        "allowed_ips": found.grant.allowed_ips.entries(),
    });
    if let Some(end) = found.grant.ends_at {
        answer["exp"] = end.into();
    }
    Json(answer).into_response()
}

/// Compares `Authorization: Bearer <key>` with the configured key's hash, in constant time.
fn bearer_matches(headers: &HeaderMap, key_hash: &[u8; 32]) -> bool {
    use sha2::{Digest, Sha256};
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
    given
        .iter()
        .zip(key_hash.iter())
        .fold(0u8, |diff, (a, b)| diff | (a ^ b))
        == 0
}

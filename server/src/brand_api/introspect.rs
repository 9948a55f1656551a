//! `POST /oauth/introspect` (RFC 7662) for other services, authenticated by the
//! operator's key. Anything not usable is only `{"active":false}`.

use super::credentials::{self, client_key};
use super::oauth_error::{
    invalid_request, oauth_error, refused_hint, too_many, unavailable, OAuthError, OAuthErrorCode,
};
use super::ApiState;
use crate::telemetry::outcomes::IntrospectionOutcome::{self, Refused};
use crate::telemetry::outcomes::IntrospectionRefusal::*;
use crate::telemetry::prometheus;
use app::domain::authorize::usable;
use app::domain::TokenSecret;
use app::ssr::db::quota::{self, WindowKey};
use app::ssr::db::token_auth::LiveToken;
use app::ssr::now;
use axum::extract::{ConnectInfo, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::{Form, Json};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use utoipa::ToSchema;

/// The form fields of an introspection request.
#[derive(Deserialize, ToSchema)]
pub struct IntrospectionForm {
    /// The Auth Token (`tsm_…`) to ask about.
    #[schema(required = true, min_length = 1)]
    token: Option<String>,
    /// `access_token`, or absent: Tokensmith issues access tokens only (`refresh_token` is
    /// refused with `unsupported_token_type`; other values are ignored).
    token_type_hint: Option<String>,
}

/// Introspection's answer (RFC 7662): `{"active": false}` alone for anything not usable.
#[derive(Serialize, ToSchema, Default)]
#[schema(example = json!({
    "active": true, "scope": "actions:get reports:get", "sid": "TSbwgnhV7qhyc3cbmXYpkenGRvgx2uNqN8",
    "account": "ACmH1NgEDwCJnhOJvCha3VZEYhRNA8SJMK", "api_version": 14, "iat": 1764547200,
    "exp": 1772323200, "token_type": "access_token", "allowed_ips": ["203.0.113.0/24"],
    "rate_limit": {"requests": 100, "per": "minute"}, "quota_remaining": 9950,
    "quota_refills_at": 1769904000
}))]
pub struct Introspection {
    /// Whether the token may be used now.
    pub active: bool,
    /// Its scope ids, space-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Its Token SID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Its account's SID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The token's API version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<u8>,
    /// When its current Auth Token was issued (Unix seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    /// When it expires (Unix seconds); absent if it never does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// Always `access_token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    /// Addresses and CIDR ranges it may be used from; empty means any. Resource servers
    /// enforce it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_ips: Option<Vec<String>>,
    /// Extension member: its **Rate limit**, e.g. `{"requests": 100, "per": "minute"}`;
    /// absent if it has none. The sandbox enforces it; resource servers may too.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(inline)]
    pub rate_limit: Option<RateLimitMember>,
    /// Extension member: calls left in its **Quota**'s window now (as recorded: calls
    /// answered in the last half second may not count yet); absent if it has no quota.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_remaining: Option<u64>,
    /// Extension member: when its quota refills (Unix seconds); absent if it has no quota
    /// or it is never refilled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_refills_at: Option<i64>,
}

/// A token's rate limit, in introspection's answer.
#[derive(Serialize, ToSchema)]
pub struct RateLimitMember {
    /// At most so many requests…
    pub requests: u32,
    /// …per `second`, `minute` or `hour`.
    pub per: &'static str,
}

/// Ask whether an Auth Token is usable, and what it may do.
///
/// For resource servers that accept Tokensmith tokens (RFC 7662). Authenticate with the
/// operator's key (`TOKENSMITH_INTROSPECTION_KEY`) as a bearer token. Anything that isn't a
/// live, enabled, unexpired token, including text that isn't an Auth Token at all, is
/// `{"active": false}` with nothing else.
#[utoipa::path(
    post,
    path = "/oauth/introspect",
    operation_id = "introspect",
    tag = "Introspection",
    request_body(content = IntrospectionForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Whether the token is active, and if so what it may do.", body = Introspection),
        (status = 400, description = "`invalid_request`: the body isn't a form with a non-empty `token` field; `unsupported_token_type`: the hint is `refresh_token`.", body = OAuthError),
        (status = 401, description = "`invalid_client`: the bearer key is missing or wrong.", body = OAuthError,
            headers(("WWW-Authenticate" = String, description = "`Bearer`"))),
        (status = 404, description = "`invalid_request`: introspection is off (the operator has not set `TOKENSMITH_INTROSPECTION_KEY`).", body = OAuthError),
        (status = 429, description = "`temporarily_unavailable`: too many wrong keys from this address, or more calls than the key's limit per minute.", body = OAuthError,
            headers(("Retry-After" = String, description = "Seconds to wait."))),
        (status = 503, description = "`temporarily_unavailable`: the database could not be reached; try again shortly.", body = OAuthError),
    ),
    security(("introspection_key" = []))
)]
pub async fn handle(
    State(state): State<ApiState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<IntrospectionForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Some(key) = state.introspection_key else {
        prometheus::introspection(Refused(Off));
        return oauth_error(
            StatusCode::NOT_FOUND,
            OAuthErrorCode::InvalidRequest,
            "Introspection is off: the operator has not set TOKENSMITH_INTROSPECTION_KEY.",
        );
    };
    if let Err(refused) = admit(&state, connect.as_ref().map(|c| &c.0), &headers, &key).await {
        return refused;
    }
    let Ok(Form(form)) = form else {
        prometheus::introspection(Refused(BadRequest));
        return invalid_request(
            "Send the token as a form (application/x-www-form-urlencoded): token=<Auth Token>.",
        );
    };
    let Some(token) = form.token.filter(|t| !t.is_empty()) else {
        prometheus::introspection(Refused(BadRequest));
        return invalid_request("The form field token is required.");
    };
    if let Some(refused) = refused_hint(form.token_type_hint.as_deref()) {
        prometheus::introspection(Refused(BadRequest));
        return refused;
    }
    let inactive = || {
        prometheus::introspection(IntrospectionOutcome::Inactive);
        Json(Introspection::default()).into_response()
    };
    let Ok(secret) = TokenSecret::parse(token.trim()) else {
        return inactive();
    };
    let found = match credentials::lookup(&state, &secret).await {
        Ok(Some(found)) => found,
        Ok(None) => return inactive(),
        Err(credentials::Unavailable) => {
            prometheus::introspection(Refused(Unavailable));
            return unavailable();
        }
    };
    let now = now();
    if usable(&found.grant, now).is_err() {
        return inactive();
    }
    let mut answer = Introspection::of(&found);
    if let Some(quota) = found.limits.quota {
        let window = quota.window(state.clock.now(), found.quota_since);
        let key = WindowKey {
            owner: found.token_id,
            start: window.start,
        };
        let Ok(spent) = quota::spent(&state.pool, key).await else {
            prometheus::introspection(Refused(Unavailable));
            return unavailable();
        };
        answer.quota_remaining = Some(quota.calls.saturating_sub(spent));
        answer.quota_refills_at = window.end;
    }
    state.last_used.note(found.token_id, now);
    prometheus::introspection(IntrospectionOutcome::Active);
    Json(answer).into_response()
}

/// Lets the caller in: not over its address's wrong keys, the right key, and within the
/// key's calls per minute. The refusal otherwise (a wrong key counted).
async fn admit(
    state: &ApiState,
    connect: Option<&ConnectInfo<SocketAddr>>,
    headers: &HeaderMap,
    key: &[u8; 32],
) -> Result<(), Response> {
    let client = format!("{} introspection", client_key(connect));
    if let Err(wait) = state.failures.check(&client).await {
        prometheus::introspection(Refused(RateLimited));
        return Err(too_many(wait));
    }
    if !bearer_matches(headers, key) {
        prometheus::introspection(Refused(BadKey));
        state.failures.record(&client).await;
        let mut response = oauth_error(
            StatusCode::UNAUTHORIZED,
            OAuthErrorCode::InvalidClient,
            "Send the introspection key as Authorization: Bearer <key>.",
        );
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return Err(response);
    }
    if let Err(wait) = state.introspections.take("introspection-key").await {
        prometheus::introspection(Refused(RateLimited));
        return Err(too_many(wait));
    }
    Ok(())
}

impl Introspection {
    /// What an active token may do.
    fn of(found: &LiveToken) -> Self {
        let scope: Vec<&str> = found.grant.scopes.iter().map(String::as_str).collect();
        Self {
            active: true,
            scope: Some(scope.join(" ")),
            sid: Some(found.grant.sid.clone()),
            account: Some(found.grant.account_sid.clone()),
            api_version: Some(found.grant.api_version),
            iat: Some(found.issued_at),
            exp: found.grant.ends_at,
            token_type: Some("access_token".to_string()),
            allowed_ips: Some(found.grant.allowed_ips.entries()),
            rate_limit: found.limits.rate.map(|rate| RateLimitMember {
                requests: rate.requests,
                per: rate.per.id(),
            }),
            quota_remaining: None,
            quota_refills_at: None,
        }
    }
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

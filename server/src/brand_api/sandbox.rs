//! The sandbox brand API: authorizes exactly as the production API would and answers
//! with a JSON description of the decision.

use super::credentials::{
    self, client_key, credential_key, error, parse_basic, too_many, unauthorized, ApiError,
};
use super::limit_answers::{self, LimitProblem};
use super::limit_checks;
use super::ApiState;
use crate::telemetry::outcomes::{SandboxOutcome, SandboxRefusal};
use crate::telemetry::prometheus;
use app::domain::authorize::{authorize, Denial, Request};
use app::ssr::db::token_auth::{self, LiveToken};
use app::ssr::now;
use app::ssr::request_note::RequestNote;
use axum::extract::{ConnectInfo, Path, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use axum::Json;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use serde::Serialize;
use std::net::SocketAddr;
use std::sync::Arc;
use utoipa::ToSchema;

/// `/Advertisers/{AccountSID}` with no resource.
pub async fn no_resource() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "Name a resource: /Advertisers/{AccountSID}/{Resource}",
    )
}

/// The sandbox's answer to an allowed call: what a real brand API would have authorized.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "decision": "allow", "token_sid": "TSbwgnhV7qhyc3cbmXYpkenGRvgx2uNqN8",
    "account_sid": "ACmH1NgEDwCJnhOJvCha3VZEYhRNA8SJMK", "method": "GET",
    "path": "/Advertisers/ACmH1NgEDwCJnhOJvCha3VZEYhRNA8SJMK/Actions",
    "category": "actions", "scope": "actions:get", "api_version": 14
}))]
pub struct Decision {
    /// Always `allow` (a refusal is an [`ApiError`](super::credentials::ApiError)).
    pub decision: String,
    /// The token that authenticated.
    pub token_sid: String,
    /// The account the token belongs to (the one in the path).
    pub account_sid: String,
    /// The HTTP method called.
    pub method: String,
    /// The path called.
    pub path: String,
    /// The resource's scope category.
    pub category: String,
    /// The scope that allowed the call: `<category>:<method>`.
    pub scope: String,
    /// The API version in force: the token's, or the lower one asked for in `IR-Version`.
    pub api_version: u8,
}

/// Call a brand API resource as an integration would.
///
/// Authorizes exactly as the production brand API: the token exists and is enabled and
/// unexpired, the account's API access is on, the account in the path is the token's, the
/// caller's address is in the token's allowlist (if it has one), and the token holds the scope
/// `<category>:<method>` of the resource's category. Sub-paths (`/{Resource}/…`) are decided
/// the same way. Every call updates the token's "last used" and its usage counts.
#[utoipa::path(
    method(get, post, put, delete),
    path = "/Advertisers/{AccountSid}/{Resource}",
    operation_id = "sandbox",
    tag = "Sandbox brand API",
    params(
        ("AccountSid" = String, Path, description = "The brand account's SID (`AC` + 32 characters)."),
        ("Resource" = String, Path, description = "A resource of the scope catalogue, e.g. `Actions`, `Reports`, `CompanyInformation`."),
        ("IR-Version" = Option<String>, Header, description = "An API version from 11 to 14; a version above the token's is lowered to it."),
    ),
    responses(
        (status = 200, description = "Allowed: the decision, as a real brand API would have made it. A token with a rate limit or quota gets the `RateLimit-Policy` and `RateLimit` fields of draft-ietf-httpapi-ratelimit-headers-11 (policies `rate` and `quota`).", body = Decision,
            headers(
                ("RateLimit-Policy" = String, description = "The token's limits, e.g. `\"rate\";q=100;w=60, \"quota\";q=10000;w=2678400` (`w`: the window in seconds; a quota never refilled has none)."),
                ("RateLimit" = String, description = "What is left of each, e.g. `\"rate\";r=42;t=17, \"quota\";r=9950;t=86400` (`t`: seconds until the window turns).")
            )),
        (status = 400, description = "`IR-Version` is not an API version from 11 to 14.", body = ApiError),
        (status = 401, description = "No or wrong credentials, or the Auth Token has expired. Always the same message.", body = ApiError,
            headers(("WWW-Authenticate" = String, description = "`Basic realm=\"Tokensmith sandbox API\"`"))),
        (status = 403, description = "Authenticated but not allowed: the token lacks the scope (named in the message), is disabled, the account's API access is off, the account in the path is another's, or the caller's address isn't allowed (`application/json`). Or its quota is spent and never refilled: a problem document naming the `quota` policy (`application/problem+json`); retrying can't help until an administrator raises it.",
            content((ApiError = "application/json"), (LimitProblem = "application/problem+json")),
            headers(("RateLimit" = String, description = "For a spent quota: `\"quota\";r=0`."))),
        (status = 404, description = "No such resource in the catalogue.", body = ApiError),
        (status = 405, description = "The resource doesn't take this method; `Allow` lists those it takes.", body = ApiError,
            headers(("Allow" = String, description = "The methods the resource takes, e.g. `GET, PUT`."))),
        (status = 429, description = "Too many failed authentications from this address for this Token SID (`application/json`); or the token's rate limit is reached, or its quota spent until it refills: a problem document of the draft's `quota-exceeded` type whose `violated-policies` names `rate` or `quota` (`application/problem+json`). Retry after `Retry-After` seconds.",
            content((ApiError = "application/json"), (LimitProblem = "application/problem+json")),
            headers(
                ("Retry-After" = String, description = "Seconds to wait: until the failures' window, the rate limit's window or the quota's refill."),
                ("RateLimit" = String, description = "For a limit: what is left, `r=0` for the one reached.")
            )),
        (status = 503, description = "The database could not be reached; try again shortly.", body = ApiError),
    ),
    security(("basic" = []))
)]
pub async fn handle(
    State(state): State<ApiState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    Path((account, resource)): Path<(String, String)>,
    method: Method,
    note: Option<Extension<RequestNote>>,
    headers: HeaderMap,
) -> Response {
    decide(
        &state,
        connect.as_ref().map(|c| &c.0),
        note.as_ref().map(|n| &n.0),
        &account,
        &resource,
        "",
        &method,
        &headers,
    )
    .await
}

/// `/Advertisers/{AccountSID}/{Resource}/…`.
pub async fn handle_nested(
    State(state): State<ApiState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    Path((account, resource, rest)): Path<(String, String, String)>,
    method: Method,
    note: Option<Extension<RequestNote>>,
    headers: HeaderMap,
) -> Response {
    decide(
        &state,
        connect.as_ref().map(|c| &c.0),
        note.as_ref().map(|n| &n.0),
        &account,
        &resource,
        &rest,
        &method,
        &headers,
    )
    .await
}

/// A credential failure counted against `key`: 401, or 429 once `key` is over its limit.
async fn failed(state: &ApiState, key: &str, reason: SandboxRefusal) -> Response {
    match state.failures.take(key).await {
        Ok(()) => {
            prometheus::sandbox(SandboxOutcome::Refused(reason));
            unauthorized()
        }
        Err(wait) => {
            prometheus::sandbox(SandboxOutcome::Refused(SandboxRefusal::RateLimited));
            too_many(wait)
        }
    }
}

/// What was called, as the route saw it.
struct Call<'a> {
    account: &'a str,
    resource: &'a str,
    /// The path past the resource; empty for none.
    rest: &'a str,
    method: &'a Method,
}

#[allow(clippy::too_many_arguments)]
async fn decide(
    state: &ApiState,
    connect: Option<&ConnectInfo<SocketAddr>>,
    note: Option<&RequestNote>,
    account: &str,
    resource: &str,
    rest: &str,
    method: &Method,
    headers: &HeaderMap,
) -> Response {
    let call = Call {
        account,
        resource,
        rest,
        method,
    };
    let keys = FailureKeys::new(connect, headers);
    if let Err(wait) = state.failures.check(&keys.named).await {
        prometheus::sandbox(SandboxOutcome::Refused(SandboxRefusal::RateLimited));
        return too_many(wait);
    }
    let found = match authenticate(state, note, headers, &keys).await {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let request = Request {
        account_sid: call.account,
        resource: call.resource,
        method: call.method.as_str(),
        version_header: headers.get("ir-version").map(|v| v.to_str().unwrap_or("?")),
        client: connect.map(|c| c.0.ip()),
        now: now(),
    };
    let decided = authorize(&found.grant, &request);
    let sid = &found.grant.sid;
    match decided {
        Ok(decision) => {
            let (fields, checked) = limit_checks::check(state, &found).await;
            if let Err(limited) = checked {
                tracing::info!(sid = %sid, reason = limited.label(), "sandbox request refused by a limit");
                state.usage.limited(found.token_id, request.now);
                prometheus::sandbox(SandboxOutcome::Refused(limited.into()));
                return limit_answers::refusal(limited, &found, &fields);
            }
            count_allowed(state, &found, &decision, &request, headers);
            prometheus::sandbox(SandboxOutcome::Allowed);
            state.last_used.note(found.token_id, now());
            tracing::info!(sid = %sid, scope = %decision.scope, "sandbox request allowed");
            let mut response = Json(Decision::new(&found, &decision, &call)).into_response();
            fields.apply(response.headers_mut());
            response
        }
        Err(Denial::Expired) => {
            tracing::info!(sid = %sid, "sandbox request refused: the secret has expired");
            state.usage.refused(found.token_id, request.now);
            failed(state, &keys.named, SandboxRefusal::Expired).await
        }
        Err(denial) => {
            tracing::info!(sid = %sid, %denial, "sandbox request refused");
            state.usage.refused(found.token_id, request.now);
            prometheus::sandbox(SandboxOutcome::Refused((&denial).into()));
            let mut response = refusal(&denial);
            limit_checks::peek(state, &found).apply(response.headers_mut());
            response
        }
    }
}

/// Where a credential failure counts. Failures count per client address *and* the token
/// named: a caller whose own credentials are good is never refused because others behind
/// the same address (a proxy, a NAT) failed. Failures that name no real token (no SID, a
/// malformed one, or one no token has) share the address's one count, so made-up SIDs can
/// neither dodge the limit nor flood the limiter with keys.
struct FailureKeys {
    /// The address and the SID named.
    named: String,
    /// The address alone.
    anonymous: String,
}

impl FailureKeys {
    fn new(connect: Option<&ConnectInfo<SocketAddr>>, headers: &HeaderMap) -> Self {
        let address = client_key(connect);
        Self {
            named: format!("{address} {}", credential_key(headers)),
            anonymous: format!("{address} -"),
        }
    }
}

/// The live token whose SID and secret the request carries; the refusal otherwise (a
/// failure counted).
async fn authenticate(
    state: &ApiState,
    note: Option<&RequestNote>,
    headers: &HeaderMap,
    keys: &FailureKeys,
) -> Result<Arc<LiveToken>, Response> {
    let Some((sid, secret)) = parse_basic(headers) else {
        return Err(failed(state, &keys.anonymous, SandboxRefusal::BadCredentials).await);
    };
    if let Some(note) = note {
        note.sid(sid.as_str());
    }
    match credentials::lookup(state, &secret).await {
        Ok(Some(found)) if found.grant.sid == sid.as_str() => Ok(found),
        Ok(_) => {
            let real = token_auth::sid_exists(&state.pool, sid.as_str()).await;
            let counted = if matches!(real, Ok(true)) {
                &keys.named
            } else {
                &keys.anonymous
            };
            Err(failed(state, counted, SandboxRefusal::BadCredentials).await)
        }
        Err(credentials::Unavailable) => {
            prometheus::sandbox(SandboxOutcome::Refused(SandboxRefusal::Unavailable));
            Err(error(StatusCode::SERVICE_UNAVAILABLE, "Try again shortly."))
        }
    }
}

/// Counts an allowed call on the token's usage, with who made it.
fn count_allowed(
    state: &ApiState,
    found: &LiveToken,
    decision: &app::domain::authorize::Decision,
    request: &Request<'_>,
    headers: &HeaderMap,
) {
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    state.usage.allowed(
        found.token_id,
        decision.scope,
        request.now,
        request.client,
        user_agent,
    );
}

impl Decision {
    fn new(found: &LiveToken, decision: &app::domain::authorize::Decision, call: &Call) -> Self {
        let (account, resource, rest) = (call.account, call.resource, call.rest);
        let path = if rest.is_empty() {
            format!("/Advertisers/{account}/{resource}")
        } else {
            format!("/Advertisers/{account}/{resource}/{rest}")
        };
        Self {
            decision: "allow".to_string(),
            token_sid: found.grant.sid.clone(),
            account_sid: found.grant.account_sid.clone(),
            method: call.method.as_str().to_string(),
            path,
            category: decision.category.id.to_string(),
            scope: decision.scope.to_string(),
            api_version: decision.api_version,
        }
    }
}

/// The answer to a call the token may not make: its status, and `Allow` for a method the
/// resource doesn't take.
fn refusal(denial: &Denial) -> Response {
    let message = denial.to_string();
    match denial {
        Denial::UnknownResource => error(StatusCode::NOT_FOUND, &message),
        Denial::BadVersionHeader => error(StatusCode::BAD_REQUEST, &message),
        Denial::MethodNotAllowed { allowed, .. } => {
            let mut response = error(StatusCode::METHOD_NOT_ALLOWED, &message);
            let list: Vec<&str> = allowed.iter().map(|m| m.label()).collect();
            if let Ok(value) = HeaderValue::from_str(&list.join(", ")) {
                response.headers_mut().insert(header::ALLOW, value);
            }
            response
        }
        // Answered as bad credentials before this is reached.
        Denial::Expired => unauthorized(),
        Denial::Disabled
        | Denial::AddressNotAllowed(_)
        | Denial::ApiAccessOff
        | Denial::WrongAccount
        | Denial::MissingScope(_) => error(StatusCode::FORBIDDEN, &message),
    }
}

//! A token's limits applied to a call its scopes allowed: the rate limit first (memory
//! only), then the quota (a leased block). Every answer to a call of a token with limits
//! carries the `RateLimit-Policy` and `RateLimit` fields of
//! draft-ietf-httpapi-ratelimit-headers-11, with the policies `"rate"` and `"quota"` (a
//! call refused by scope or state gets them too, as they stand); a refusal by a limit is a
//! problem document of the draft's `quota-exceeded` type naming the policy it violated.
//!
//! Over the rate limit: 429 with `Retry-After` (the window's end). Quota spent: 429 with
//! `Retry-After` when it refills (the window's end), 403 when it never does (retrying
//! can't help; an administrator must raise it).

use super::quota_leases::{QuotaCall, QuotaState, Unavailable};
use super::ApiState;
use app::domain::expiration::format_instant;
use app::domain::limits::{limit_item, policy_item, Limits};
use app::ssr::db::quota::WindowKey;
use app::ssr::db::token_auth::LiveToken;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

/// The draft's problem type for a call over a quota policy.
pub const QUOTA_EXCEEDED: &str = "https://iana.org/assignments/http-problem-types#quota-exceeded";

/// Why a call was refused by its token's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// Over the rate limit: wait this many seconds.
    Rate { retry_after: u64 },
    /// The quota is spent until `refills_at` (Unix seconds; `None`: never).
    Quota { refills_at: Option<i64>, now: i64 },
    /// The quota could not be checked (database unreachable).
    Unavailable,
}

impl Limited {
    /// The `reason` label of `/metrics` and the logs.
    pub fn label(self) -> &'static str {
        match self {
            Limited::Rate { .. } => "rate_limit",
            Limited::Quota { .. } => "quota_spent",
            Limited::Unavailable => "unavailable",
        }
    }
}

/// A call refused by its token's limits, as a problem document (RFC 9457).
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "type": QUOTA_EXCEEDED, "title": "Quota spent", "status": 429,
    "detail": "This token's quota of 10,000 calls a month (UTC) is spent. It refills on 2027-02-01 00:00 UTC.",
    "violated-policies": ["quota"], "refills_at": "2027-02-01T00:00:00Z",
    "error": "This token's quota of 10,000 calls a month (UTC) is spent. It refills on 2027-02-01 00:00 UTC."
}))]
pub struct LimitProblem {
    /// Always the draft's `quota-exceeded` problem type.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// `Rate limit reached` or `Quota spent`.
    pub title: &'static str,
    /// 429, or 403 for a quota that is never refilled.
    pub status: u16,
    /// What happened and when to retry, in a sentence.
    pub detail: String,
    /// `["rate"]` or `["quota"]`: the policy of `RateLimit-Policy` the call violated.
    #[serde(rename = "violated-policies")]
    pub violated_policies: [&'static str; 1],
    /// When the quota refills (RFC 3339); `null` for a rate limit or a quota never refilled.
    pub refills_at: Option<String>,
    /// The same as `detail`, where every other refusal of the brand API has its sentence.
    pub error: String,
}

/// The two fields, built as the limits are checked.
#[derive(Default)]
pub struct LimitFields {
    policy: Vec<String>,
    state: Vec<String>,
}

impl LimitFields {
    /// Adds both fields to `headers` (nothing for a token without limits).
    pub fn apply(&self, headers: &mut HeaderMap) {
        for (name, items) in [
            (HeaderName::from_static("ratelimit-policy"), &self.policy),
            (HeaderName::from_static("ratelimit"), &self.state),
        ] {
            if items.is_empty() {
                continue;
            }
            if let Ok(value) = HeaderValue::from_str(&items.join(", ")) {
                headers.insert(name, value);
            }
        }
    }
}

/// Applies `found`'s limits to one call its scopes allowed; the fields to send either way.
pub async fn check(state: &ApiState, found: &LiveToken) -> (LimitFields, Result<(), Limited>) {
    let mut fields = LimitFields::default();
    let Limits { rate, quota } = found.limits;
    let now = state.clock.now();
    if let Some(rate) = rate {
        let taken = state.rates.take(found.token_id, rate, now);
        let window = u64::from(rate.per.seconds());
        fields
            .policy
            .push(policy_item("rate", u64::from(rate.requests), Some(window)));
        fields
            .state
            .push(limit_item("rate", taken.remaining, Some(taken.reset)));
        if !taken.allowed {
            return (
                fields,
                Err(Limited::Rate {
                    retry_after: taken.reset,
                }),
            );
        }
    }
    let Some(quota) = quota else {
        return (fields, Ok(()));
    };
    let window = quota.window(now, found.quota_since);
    let length = window.end.map(|end| (end - window.start).max(1) as u64);
    let reset = window.end.map(|end| (end - now).max(1) as u64);
    fields
        .policy
        .push(policy_item("quota", quota.calls, length));
    let key = WindowKey {
        token_id: found.token_id,
        start: window.start,
    };
    let call = QuotaCall {
        window: key,
        quota,
        refills_at: window.end,
        now,
    };
    match state.quotas.take(&state.pool, call).await {
        Ok(QuotaState::Allowed { remaining }) => {
            fields.state.push(limit_item("quota", remaining, reset));
            (fields, Ok(()))
        }
        Ok(QuotaState::Spent) => {
            fields.state.push(limit_item("quota", 0, reset));
            let refused = Limited::Quota {
                refills_at: window.end,
                now,
            };
            (fields, Err(refused))
        }
        Err(Unavailable) => (fields, Err(Limited::Unavailable)),
    }
}

/// The fields for a call of `found` its scopes (or its state) refused: what its limits
/// stand at, counting nothing and asking the database nothing (a quota this instance holds
/// nothing of is named in the policy only).
pub fn peek(state: &ApiState, found: &LiveToken) -> LimitFields {
    let mut fields = LimitFields::default();
    let Limits { rate, quota } = found.limits;
    let now = state.clock.now();
    if let Some(rate) = rate {
        let seen = state.rates.peek(found.token_id, rate, now);
        let window = u64::from(rate.per.seconds());
        fields
            .policy
            .push(policy_item("rate", u64::from(rate.requests), Some(window)));
        fields
            .state
            .push(limit_item("rate", seen.remaining, Some(seen.reset)));
    }
    if let Some(quota) = quota {
        let window = quota.window(now, found.quota_since);
        let length = window.end.map(|end| (end - window.start).max(1) as u64);
        fields
            .policy
            .push(policy_item("quota", quota.calls, length));
        let key = WindowKey {
            token_id: found.token_id,
            start: window.start,
        };
        if let Some(remaining) = state.quotas.peek(key) {
            let reset = window.end.map(|end| (end - now).max(1) as u64);
            fields.state.push(limit_item("quota", remaining, reset));
        }
    }
    fields
}

/// The answer to a call refused by `limited`, for a token with `limits`.
pub fn refusal(limited: Limited, limits: &Limits, fields: &LimitFields) -> Response {
    let (status, title, detail, refills_at, policy, retry_after) = match limited {
        Limited::Unavailable => {
            let mut response =
                super::credentials::error(StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.");
            fields.apply(response.headers_mut());
            return response;
        }
        Limited::Rate { retry_after } => (
            StatusCode::TOO_MANY_REQUESTS,
            "Rate limit reached",
            format!(
                "This token may make {}. Retry in {retry_after} s.",
                limits.rate_words()
            ),
            None,
            "rate",
            Some(retry_after),
        ),
        Limited::Quota { refills_at, now } => {
            let spent = format!("This token's quota of {} is spent.", limits.quota_words());
            match refills_at {
                Some(at) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "Quota spent",
                    format!("{spent} It refills on {}.", format_instant(at)),
                    Some(app::ssr::rfc3339(at)),
                    "quota",
                    Some((at - now).max(1) as u64),
                ),
                None => (
                    StatusCode::FORBIDDEN,
                    "Quota spent",
                    format!(
                        "{spent} It is never refilled: ask the account's administrators to raise it."
                    ),
                    None,
                    "quota",
                    None,
                ),
            }
        }
    };
    let body = LimitProblem {
        kind: QUOTA_EXCEEDED,
        title,
        status: status.as_u16(),
        error: detail.clone(),
        detail,
        violated_policies: [policy],
        refills_at,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    let mut response = (status, json).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    fields.apply(headers);
    response
}

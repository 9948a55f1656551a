//! The answers of tokens' limits: the `RateLimit-Policy` and `RateLimit` fields of
//! draft-ietf-httpapi-ratelimit-headers-11 (policies `"rate"` and `"quota"`, and
//! `"budget-rate"` and `"budget-quota"` for a token's budget), and a refusal as a problem
//! document of the draft's `quota-exceeded` type naming the policy it violated
//! ([`super::limit_checks`] applies the limits).
//!
//! Over the rate limit: 429 with `Retry-After` (the window's end). Quota spent: 429 with
//! `Retry-After` when it refills (the window's end), 403 when it never does (retrying
//! can't help; an administrator must raise it).

use app::domain::expiration::format_instant;
use app::domain::limits::Limits;
use app::ssr::db::token_auth::LiveToken;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

/// The draft's problem type for a call over a quota policy.
pub const QUOTA_EXCEEDED: &str = "https://iana.org/assignments/http-problem-types#quota-exceeded";

/// Why a call was refused by its token's limits (or its budget's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// Over the rate limit `policy` names: wait this many seconds.
    Rate {
        retry_after: u64,
        policy: &'static str,
    },
    /// The quota `policy` names is spent until `refills_at` (Unix seconds; `None`: never).
    Quota {
        refills_at: Option<i64>,
        now: i64,
        policy: &'static str,
    },
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
    /// `["rate"]`, `["quota"]`, `["budget-rate"]` or `["budget-quota"]`: the policy of
    /// `RateLimit-Policy` the call violated.
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
    pub(super) policy: Vec<String>,
    pub(super) state: Vec<String>,
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

/// Whose limits a policy name speaks of, in words, and those limits.
fn whose(policy: &str, found: &LiveToken) -> (String, Limits) {
    match (&found.budget, policy.starts_with("budget-")) {
        (Some(budget), true) => (format!("The budget \"{}\"", budget.name), budget.limits),
        _ => ("This token".to_string(), found.limits),
    }
}

/// The answer to a call of `found` refused by `limited`.
pub fn refusal(limited: Limited, found: &LiveToken, fields: &LimitFields) -> Response {
    let (status, title, detail, refills_at, policy, retry_after) = match limited {
        Limited::Unavailable => {
            let mut response =
                super::credentials::error(StatusCode::SERVICE_UNAVAILABLE, "Try again shortly.");
            fields.apply(response.headers_mut());
            return response;
        }
        Limited::Rate {
            retry_after,
            policy,
        } => {
            let (who, limits) = whose(policy, found);
            (
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limit reached",
                format!(
                    "{who} may make {}. Retry in {retry_after} s.",
                    limits.rate_words()
                ),
                None,
                policy,
                Some(retry_after),
            )
        }
        Limited::Quota {
            refills_at,
            now,
            policy,
        } => {
            let (who, limits) = whose(policy, found);
            let spent = format!("{who}'s quota of {} is spent.", limits.quota_words());
            match refills_at {
                Some(at) => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "Quota spent",
                    format!("{spent} It refills on {}.", format_instant(at)),
                    Some(app::ssr::rfc3339(at)),
                    policy,
                    Some((at - now).max(1) as u64),
                ),
                None => (
                    StatusCode::FORBIDDEN,
                    "Quota spent",
                    format!(
                        "{spent} It is never refilled: ask the account's administrators to raise it."
                    ),
                    None,
                    policy,
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

//! A token's limits applied to a call its scopes allowed, and its budget's if it draws on
//! one: every rate limit first (memory only; the call is counted only if all have room),
//! then every quota (leased blocks; a call the budget's quota refuses gives back the one
//! the token's own quota spent). The tighter limit refuses.

use super::limit_answers::{LimitFields, Limited};
use super::quota_leases::{QuotaCall, QuotaState, Unavailable};
use super::rate_windows::RateState;
use super::ApiState;
use app::domain::limits::{limit_item, policy_item, Limits, RateLimit};
use app::ssr::db::quota::WindowKey;
use app::ssr::db::token_auth::LiveToken;

/// Whose limits: the token's own or its budget's, with the names of their policies.
struct Subject {
    rate: &'static str,
    quota: &'static str,
    /// The key of its rate window and quota: the token's id, or minus the budget's.
    owner: i64,
    limits: Limits,
    quota_since: i64,
}

fn subjects(found: &LiveToken) -> Vec<Subject> {
    let own = Subject {
        rate: "rate",
        quota: "quota",
        owner: found.token_id,
        limits: found.limits,
        quota_since: found.quota_since,
    };
    let budget = found.budget.as_ref().map(|budget| Subject {
        rate: "budget-rate",
        quota: "budget-quota",
        owner: -budget.id,
        limits: budget.limits,
        quota_since: budget.quota_since,
    });
    std::iter::once(own).chain(budget).collect()
}

fn rate_items(fields: &mut LimitFields, subject: &Subject, rate: RateLimit, seen: RateState) {
    let window = u64::from(rate.per.seconds());
    fields.policy.push(policy_item(
        subject.rate,
        u64::from(rate.requests),
        Some(window),
    ));
    fields
        .state
        .push(limit_item(subject.rate, seen.remaining, Some(seen.reset)));
}

/// Applies `found`'s limits to one call its scopes allowed; the fields to send either way.
pub async fn check(state: &ApiState, found: &LiveToken) -> (LimitFields, Result<(), Limited>) {
    let mut fields = LimitFields::default();
    let now = state.clock.now();
    let subjects = subjects(found);
    let rates: Vec<(&Subject, RateLimit)> = subjects
        .iter()
        .filter_map(|s| s.limits.rate.map(|rate| (s, rate)))
        .collect();
    let full = rates.iter().find_map(|(s, rate)| {
        let seen = state.rates.peek(s.owner, *rate, now);
        (!seen.allowed).then_some((s.rate, seen.reset))
    });
    let mut refused = full.map(|(policy, reset)| Limited::Rate {
        retry_after: reset,
        policy,
    });
    for (subject, rate) in &rates {
        let seen = if refused.is_some() {
            state.rates.peek(subject.owner, *rate, now)
        } else {
            state.rates.take(subject.owner, *rate, now)
        };
        if !seen.allowed && refused.is_none() {
            refused = Some(Limited::Rate {
                retry_after: seen.reset,
                policy: subject.rate,
            });
        }
        rate_items(&mut fields, subject, *rate, seen);
    }
    if let Some(limited) = refused {
        return (fields, Err(limited));
    }
    let mut spent: Vec<WindowKey> = Vec::new();
    for subject in &subjects {
        let Some(quota) = subject.limits.quota else {
            continue;
        };
        let window = quota.window(now, subject.quota_since);
        let length = window.end.map(|end| (end - window.start).max(1) as u64);
        let reset = window.end.map(|end| (end - now).max(1) as u64);
        fields
            .policy
            .push(policy_item(subject.quota, quota.calls, length));
        let key = WindowKey {
            owner: subject.owner,
            start: window.start,
        };
        let call = QuotaCall {
            window: key,
            quota,
            refills_at: window.end,
            now,
        };
        let limited = match state.quotas.take(&state.pool, call).await {
            Ok(QuotaState::Allowed { remaining }) => {
                fields
                    .state
                    .push(limit_item(subject.quota, remaining, reset));
                spent.push(key);
                continue;
            }
            Ok(QuotaState::Spent) => {
                fields.state.push(limit_item(subject.quota, 0, reset));
                Limited::Quota {
                    refills_at: window.end,
                    now,
                    policy: subject.quota,
                }
            }
            Err(Unavailable) => Limited::Unavailable,
        };
        // Refused: the calls other quotas spent on it go back.
        for key in spent {
            state.quotas.refund(key);
        }
        return (fields, Err(limited));
    }
    (fields, Ok(()))
}

/// The fields for a call of `found` its scopes (or its state) refused: what its limits
/// stand at, counting nothing and asking the database nothing (a quota this instance holds
/// nothing of is named in the policy only).
pub fn peek(state: &ApiState, found: &LiveToken) -> LimitFields {
    let mut fields = LimitFields::default();
    let now = state.clock.now();
    for subject in subjects(found) {
        if let Some(rate) = subject.limits.rate {
            let seen = state.rates.peek(subject.owner, rate, now);
            rate_items(&mut fields, &subject, rate, seen);
        }
        if let Some(quota) = subject.limits.quota {
            let window = quota.window(now, subject.quota_since);
            let length = window.end.map(|end| (end - window.start).max(1) as u64);
            fields
                .policy
                .push(policy_item(subject.quota, quota.calls, length));
            let key = WindowKey {
                owner: subject.owner,
                start: window.start,
            };
            if let Some(remaining) = state.quotas.peek(key) {
                let reset = window.end.map(|end| (end - now).max(1) as u64);
                fields
                    .state
                    .push(limit_item(subject.quota, remaining, reset));
            }
        }
    }
    fields
}

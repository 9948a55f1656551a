//! What an approver may change on the way to a token: the scopes, the expiration and the
//! limits, each only narrower than the request asked for.

use super::Widening;
use crate::domain::expiration::{Expiration, TokenPolicy};
use crate::domain::limits::{Limits, LimitsForm, Quota, RateLimit, Refill};
use crate::domain::scopes::ScopeSet;
use crate::domain::wizard::{Field, FieldError, NewToken, Problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The approver's changes; `None`: as requested.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrowing {
    /// The scopes granted: some of those requested.
    pub scopes: Option<BTreeSet<String>>,
    /// An expiration no later than the request's.
    pub expiration: Option<Expiration>,
    /// Limits no looser than the request's.
    pub limits: Option<LimitsForm>,
}

/// The token `requested` becomes with `narrowing` applied, approved at `now` under the
/// account's `policy`; or every field the approval would widen or can't read.
pub fn narrow(
    requested: &NewToken,
    narrowing: &Narrowing,
    now: i64,
    policy: TokenPolicy,
) -> Result<NewToken, Vec<FieldError>> {
    let mut token = requested.clone();
    let mut errors = Vec::new();
    let mut refuse = |field, problem| errors.push(FieldError { field, problem });
    if let Some(scopes) = &narrowing.scopes {
        match ScopeSet::parse(scopes.iter().map(String::as_str)) {
            Err(problem) => refuse(Field::Scopes, Problem::Scope(problem)),
            Ok(set) if set.iter().any(|s| !requested.scopes.contains(s)) => {
                refuse(Field::Scopes, Problem::Wider(Widening::Scopes))
            }
            Ok(set) => token.scopes = set,
        }
    }
    if let Some(expiration) = &narrowing.expiration {
        match expiration.resolve(now, policy) {
            Err(problem) => refuse(Field::Expiration, Problem::Expiration(problem)),
            Ok(at) if later(at, requested.expiration.resolve(now, policy).ok().flatten()) => {
                refuse(Field::Expiration, Problem::Wider(Widening::Expiration))
            }
            Ok(_) => token.expiration = expiration.clone(),
        }
    }
    if let Some(form) = &narrowing.limits {
        match (form.rate(), form.quota()) {
            (Err(problem), _) => refuse(Field::RateLimit, Problem::Limit(problem)),
            (_, Err(problem)) => refuse(Field::Quota, Problem::Limit(problem)),
            (Ok(rate), Ok(quota)) => {
                let rate_wider = !rate_within(rate, requested.limits.rate);
                let quota_wider = !quota_within(quota, requested.limits.quota);
                if rate_wider {
                    refuse(Field::RateLimit, Problem::Wider(Widening::RateLimit));
                }
                if quota_wider {
                    refuse(Field::Quota, Problem::Wider(Widening::Quota));
                }
                if !rate_wider && !quota_wider {
                    token.limits = Limits { rate, quota };
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(token)
    } else {
        Err(errors)
    }
}

/// Whether an expiry at `at` comes after one at `than` (`None`: never).
fn later(at: Option<i64>, than: Option<i64>) -> bool {
    match (at, than) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(at), Some(than)) => at > than,
    }
}

/// Whether a rate limit allows no more than the requested one (none allows anything).
fn rate_within(rate: Option<RateLimit>, requested: Option<RateLimit>) -> bool {
    match (rate, requested) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(rate), Some(requested)) => rate.within(&requested),
    }
}

/// Whether a quota allows no more than the requested one: one never refilled stays
/// never refilled, others compare over a month.
fn quota_within(quota: Option<Quota>, requested: Option<Quota>) -> bool {
    match (quota, requested) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(quota), Some(requested)) if requested.refill == Refill::Never => {
            quota.refill == Refill::Never && quota.calls <= requested.calls
        }
        (Some(quota), Some(requested)) => quota.most_in_a_month() <= requested.most_in_a_month(),
    }
}

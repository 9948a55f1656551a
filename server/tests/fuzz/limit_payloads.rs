//! Payloads for tokens' limits: the **Limits** form (in drafts and changes) and the
//! account's **Limits for new tokens**.

use crate::cases::Call;
use crate::values::{json_leaf, pick};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};
use serde_json::{json, Value};

/// A **Limits** form: good, bad and odd numbers and periods.
pub fn limits_form() -> BoxedStrategy<Value> {
    (
        prop_oneof![3 => select(&["", "5", "1,000", "0", "1000001"][..]).prop_map(Value::from), 1 => json_leaf()],
        pick(&[(3, "minute"), (1, "second"), (1, "hour"), (1, "day")]),
        prop_oneof![3 => select(&["", "10", "10000", "-1", "1e3"][..]).prop_map(Value::from), 1 => json_leaf()],
        pick(&[(2, "monthly"), (1, "daily"), (1, "none"), (1, "weekly")]),
    )
        .prop_map(|(requests, per, calls, refill)| {
            json!({"rate_requests": requests, "rate_per": per, "quota_calls": calls, "quota_refill": refill})
        })
        .boxed()
}

/// `set_limits_policy`'s eight fields: defaults and ceilings, good and bad.
pub fn set_limits_policy_call() -> BoxedStrategy<Call> {
    (limits_form(), limits_form())
        .prop_map(|(defaults, ceiling)| {
            let field = |form: &Value, key: &str| form[key].clone();
            Call::Fields(vec![
                ("default_rate_requests", field(&defaults, "rate_requests")),
                ("default_rate_per", field(&defaults, "rate_per")),
                ("default_quota_calls", field(&defaults, "quota_calls")),
                ("default_quota_refill", field(&defaults, "quota_refill")),
                ("max_rate_requests", field(&ceiling, "rate_requests")),
                ("max_rate_per", field(&ceiling, "rate_per")),
                ("max_quota_calls", field(&ceiling, "quota_calls")),
                ("max_quota_refill", field(&ceiling, "quota_refill")),
            ])
        })
        .boxed()
}

/// `create_budget`: a name and its limits, good and bad.
pub fn create_budget_call() -> BoxedStrategy<Call> {
    (
        prop_oneof![3 => select(&["Agency A", "", "x", "Agency A "][..]).prop_map(Value::from), 1 => json_leaf()],
        limits_form(),
    )
        .prop_map(|(name, limits)| {
            let field = |key: &str| limits[key].clone();
            Call::Fields(vec![
                ("name", name),
                ("rate_requests", field("rate_requests")),
                ("rate_per", field("rate_per")),
                ("quota_calls", field("quota_calls")),
                ("quota_refill", field("quota_refill")),
            ])
        })
        .boxed()
}

/// `update_budget` and `delete_budget`: a budget's number (real or not) and its limits.
pub fn budget_call(with_limits: bool) -> BoxedStrategy<Call> {
    (
        prop_oneof![3 => select(&["1", "2", "0", "-1", "x", ""][..]).prop_map(Value::from), 1 => json_leaf()],
        limits_form(),
    )
        .prop_map(move |(id, limits)| {
            let field = |key: &str| limits[key].clone();
            let mut fields = vec![("id", id)];
            if with_limits {
                fields.extend([
                    ("rate_requests", field("rate_requests")),
                    ("rate_per", field("rate_per")),
                    ("quota_calls", field("quota_calls")),
                    ("quota_refill", field("quota_refill")),
                ]);
            }
            Call::Fields(fields)
        })
        .boxed()
}

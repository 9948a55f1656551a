//! Payloads for token requests: **Token creation**, **Request token**'s reason, and a
//! request's number with **Approve**'s narrowing, **Deny**'s reason, **Withdraw** and the
//! claim of its secret.

use crate::cases::Call;
use crate::limit_payloads::limits_form;
use crate::values::{json_leaf, pick};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};
use serde_json::{json, Value};

/// A **Reason**: good, empty, long, with control characters, or not text at all.
pub fn reason() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => select(&["Weekly export", "", "  ", "bell\u{7}", "line\nbreak", "é"][..]).prop_map(Value::from),
        1 => (490usize..520).prop_map(|n| Value::from("r".repeat(n))),
        1 => json_leaf(),
    ]
    .boxed()
}

/// A request's number, as real ones are small: some exist, most don't.
fn id() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (0i64..6).prop_map(Value::from),
        1 => select(&["1", "x", "", "-1", "9223372036854775808"][..]).prop_map(Value::from),
        1 => json_leaf(),
    ]
    .boxed()
}

/// An approval's narrowing: nothing, scopes (some asked for, some not), an expiration,
/// limits, or junk.
fn narrowing() -> BoxedStrategy<Value> {
    let scopes = prop_oneof![
        2 => Just(Value::Null),
        2 => select(&["reports:get", "actions:get", "actions:delete", "nope:get"][..])
            .prop_map(|s| json!([s])),
        1 => Just(json!([])),
        1 => json_leaf(),
    ];
    let expiration = prop_oneof![
        2 => Just(Value::Null),
        1 => select(&[30u16, 60, 90, 45][..]).prop_map(|d| json!({ "Days": d })),
        1 => Just(json!("Never")),
        1 => json_leaf(),
    ];
    let limits = prop_oneof![2 => Just(Value::Null), 1 => limits_form()];
    (scopes, expiration, limits)
        .prop_map(|(scopes, expiration, limits)| {
            json!({ "scopes": scopes, "expiration": expiration, "limits": limits })
        })
        .boxed()
}

/// The call for one of the request endpoints.
pub fn call(endpoint: &str) -> BoxedStrategy<Call> {
    match endpoint {
        "approve_request" => (id(), prop_oneof![4 => narrowing(), 1 => json_leaf()])
            .prop_map(|(id, narrowing)| {
                Call::JsonFields(vec![("id", id), ("narrowing", narrowing)])
            })
            .boxed(),
        "claim_request" => id()
            .prop_map(|id| Call::JsonFields(vec![("id", id)]))
            .boxed(),
        "deny_request" => (id(), reason())
            .prop_map(|(id, reason)| Call::Fields(vec![("id", id), ("reason", reason)]))
            .boxed(),
        "list_requests" => pick(&[(3, ""), (2, "pending"), (1, "approved"), (1, "lost")])
            .prop_map(|state| Call::Field("state", Value::from(state)))
            .boxed(),
        "set_token_creation" => pick(&[(3, "needs_approval"), (2, "directly"), (1, "sometimes")])
            .prop_map(|creation| Call::Field("creation", Value::from(creation)))
            .boxed(),
        // get_request, withdraw_request
        _ => id().prop_map(|id| Call::Field("id", id)).boxed(),
    }
}

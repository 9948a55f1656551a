//! Payloads for webhooks: an endpoint's URL (public, private, metadata, malformed),
//! description and events, and the numbers of endpoints and messages.

use crate::cases::Call;
use crate::values::json_leaf;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};
use serde_json::{json, Value};

/// A URL: one the tests' receiver range allows, ones only the server could reach, and
/// malformed ones.
fn url() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => select(&[
            "http://127.0.0.1:9/hook",
            "https://169.254.169.254/latest",
            "http://10.0.0.1/",
            "https://[::1]/",
            "https://user:pw@example.com/",
            "ftp://example.com/",
            "https://",
            "https://a..b/",
            "",
            "http://127.0.0.1:99999/",
            "https://[::ffff:10.0.0.1]/",
        ][..])
        .prop_map(Value::from),
        1 => (1990usize..2010).prop_map(|n| Value::from(format!("http://127.0.0.1:9/{}", "p".repeat(n)))),
        1 => json_leaf(),
    ]
    .boxed()
}

fn events() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => select(&["token.created", "token.deleted", "test", "token.renamed", ""][..])
            .prop_map(|e| json!([e])),
        1 => Just(json!([])),
        1 => Just(json!(["token.created", "token.created", "user.added"])),
        1 => json_leaf(),
    ]
    .boxed()
}

/// An endpoint's or message's number: some exist, most don't.
fn id() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (0i64..4).prop_map(Value::from),
        1 => select(&["1", "x", "", "-1", "9223372036854775808"][..]).prop_map(Value::from),
        1 => json_leaf(),
    ]
    .boxed()
}

/// The call for one of the webhook endpoints.
pub fn call(endpoint: &str) -> BoxedStrategy<Call> {
    match endpoint {
        "add_webhook" => (
            url(),
            prop_oneof![
                3 => select(&["Ops", "", "bell\u{7}", "é"][..]).prop_map(Value::from),
                1 => (195usize..210).prop_map(|n| Value::from("d".repeat(n))),
                1 => json_leaf(),
            ],
            events(),
        )
            .prop_map(|(url, description, events)| {
                Call::JsonFields(vec![
                    ("url", url),
                    ("description", description),
                    ("events", events),
                ])
            })
            .boxed(),
        "set_webhook_enabled" => (
            id(),
            select(&["true", "false", "maybe"][..]).prop_map(Value::from),
        )
            .prop_map(|(id, enabled)| Call::Fields(vec![("id", id), ("enabled", enabled)]))
            .boxed(),
        "resend_webhook" => (id(), id())
            .prop_map(|(id, message)| Call::Fields(vec![("id", id), ("message", message)]))
            .boxed(),
        "list_webhooks" => Just(Call::NoArgs).boxed(),
        // get_webhook, rotate_webhook_secret, delete_webhook, send_test_webhook
        _ => id().prop_map(|id| Call::Field("id", id)).boxed(),
    }
}

//! Strategies for bodies: server function calls (drafts, changes, filters, sign-in,
//! introspection) and the junk sent in their place.

use crate::cases::{Call, ChangeSpec, EmailRef, Enc, Mutation, Payload, Target, VersionRef};
use crate::harness::PASSWORD;
use crate::limit_payloads::{budget_call, create_budget_call, limits_form, set_limits_policy_call};
use crate::values::{
    contact_ref, field_name, json_leaf, json_value, junk_string, pick, secret_junk, secret_ref,
    sid_ref,
};
use crate::world::{EMAILS, OTHER_PASSWORD};
use crate::{request_payloads, webhook_payloads};
use app::domain::catalog::CATEGORIES;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};
use serde_json::{json, Value};

fn scope_id() -> BoxedStrategy<String> {
    prop_oneof![
        6 => (0usize..CATEGORIES.len(), 0usize..5).prop_map(|(c, m)| {
            let category = &CATEGORIES[c];
            let method = category.methods[m % category.methods.len()];
            format!("{}:{}", category.id, method.id())
        }),
        1 => (0usize..CATEGORIES.len(), select(&["get", "post", "put", "patch", "delete", "GET", "*", ""][..]))
            .prop_map(|(c, m)| format!("{}:{m}", CATEGORIES[c].id)),
        1 => junk_string(),
    ]
    .boxed()
}

fn emails() -> BoxedStrategy<Vec<String>> {
    vec(
        prop_oneof![
            4 => "[a-z]{1,8}@partner\\.test",
            1 => select(EMAILS.to_vec()).prop_map(str::to_string),
            2 => junk_string(),
            1 => (60usize..300).prop_map(|n| format!("{}@x.test", "a".repeat(n))),
        ],
        0..12,
    )
    .boxed()
}

fn token_name() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "[A-Za-z][A-Za-z0-9 _-]{2,30}",
        2 => junk_string(),
        1 => (60usize..200).prop_map(|n| "N".repeat(n)),
        1 => select(&["Feed sync", "feed SYNC", "  padded  ", "fuzz-0", "FUZZ-1"][..]).prop_map(str::to_string),
    ]
    .boxed()
}

/// Scopes the catalogue has, 1 to 4 of them.
fn valid_scopes() -> BoxedStrategy<Vec<String>> {
    vec(
        (0usize..CATEGORIES.len(), 0usize..5).prop_map(|(c, m)| {
            let category = &CATEGORIES[c];
            let method = category.methods[m % category.methods.len()];
            format!("{}:{}", category.id, method.id())
        }),
        1..5,
    )
    .boxed()
}

fn valid_emails() -> BoxedStrategy<Vec<String>> {
    vec("[a-z]{1,8}@partner\\.test", 0..4).boxed()
}

fn valid_name() -> BoxedStrategy<String> {
    "[A-Za-z][A-Za-z0-9 _-]{2,30}[A-Za-z0-9]".boxed()
}

fn draft() -> BoxedStrategy<Value> {
    let valid = (valid_name(), 11u8..=14, valid_emails(), valid_scopes()).prop_map(
        |(name, api_version, emails, scopes)| {
            let mut open: Vec<&str> = scopes.iter().filter_map(|s| s.split(':').next()).collect();
            open.dedup();
            json!({
                "step": "Review",
                "name": name,
                "description": "",
                "api_version": api_version,
                "developer_emails": emails,
                "scopes": scopes,
                "open_categories": open,
            })
        },
    );
    prop_oneof![1 => valid, 1 => junk_draft()].boxed()
}

fn junk_draft() -> BoxedStrategy<Value> {
    let fields = (
        pick(&[
            (5, "Review"),
            (1, "Setup"),
            (1, "Contacts"),
            (1, "Scopes"),
            (1, "Done"),
        ]),
        token_name(),
        prop_oneof![4 => Just(String::new()), 2 => junk_string(), 1 => (400usize..700).prop_map(|n| "d".repeat(n))],
        prop_oneof![
            6 => (11i64..=14).prop_map(Value::from),
            2 => json_leaf(),
            1 => select(&[0i64, 10, 15, 255, 256, -1][..]).prop_map(Value::from),
        ],
        emails(),
        vec(scope_id(), 0..8),
        vec(
            prop_oneof![3 => select(&["reports", "actions", "ads"][..]).prop_map(str::to_string), 1 => junk_string()],
            0..4,
        ),
    );
    (fields, limits_form())
        .prop_map(
            |((step, name, description, api_version, emails, scopes, open), limits)| {
                json!({
                    "limits": limits,
                    "step": step,
                    "name": name,
                    "description": description,
                    "api_version": api_version,
                    "developer_emails": emails,
                    "scopes": scopes,
                    "open_categories": open,
                })
            },
        )
        .boxed()
}

fn change() -> BoxedStrategy<ChangeSpec> {
    prop_oneof![
        3 => valid_name()
            .prop_map(|n| ChangeSpec::Value(json!({"Overview": {"name": n, "description": "edited"}}))),
        2 => (contact_ref(), valid_emails().prop_map(|e| json!(e)))
            .prop_map(|(contact, emails)| ChangeSpec::Contacts { contact, emails }),
        3 => valid_scopes().prop_map(|s| ChangeSpec::Value(json!({"Scopes": {"scopes": s}}))),
        3 => (token_name(), prop_oneof![3 => Just(String::new()), 1 => junk_string()])
            .prop_map(|(n, d)| ChangeSpec::Value(json!({"Overview": {"name": n, "description": d}}))),
        2 => prop_oneof![4 => (11i64..=14).prop_map(Value::from), 1 => json_leaf()]
            .prop_map(|v| ChangeSpec::Value(json!({"UpgradeVersion": {"api_version": v}}))),
        2 => (contact_ref(), emails().prop_map(|e| json!(e)))
            .prop_map(|(contact, emails)| ChangeSpec::Contacts { contact, emails }),
        3 => vec(scope_id(), 0..8).prop_map(|s| ChangeSpec::Value(json!({"Scopes": {"scopes": s}}))),
        3 => any::<bool>().prop_map(|b| ChangeSpec::Value(json!({"SetEnabled": {"enabled": b}}))),
        2 => Just(ChangeSpec::Value(json!("Reset"))),
        2 => prop_oneof![
            3 => select(&["OneHour", "OneDay", "SevenDays"][..]).prop_map(Value::from),
            1 => json_leaf(),
        ]
        .prop_map(|keep| ChangeSpec::Value(json!({"ResetKeepingOld": {"keep_old_for": keep}}))),
        1 => Just(ChangeSpec::Value(json!("RevokeOldSecret"))),
        2 => prop_oneof![
            3 => select(&["", "203.0.113.0/24", "10.0.0.1/33", "::1 ::1", "2001:db8::/32\n10.0.0.0/8"][..])
                .prop_map(Value::from),
            1 => json_leaf(),
        ]
        .prop_map(|list| ChangeSpec::Value(json!({"AllowedIps": {"allowed_ips": list}}))),
        2 => limits_form().prop_map(|limits| ChangeSpec::Value(json!({"Limits": {"limits": limits}}))),
        2 => prop_oneof![
            3 => select(&[30u16, 60, 90][..]).prop_map(|d| json!({ "Days": d })),
            1 => Just(json!("Never")),
            1 => json_value(),
        ]
        .prop_map(|e| ChangeSpec::Value(json!({"Renew": {"expiration": e}}))),
        1 => Just(ChangeSpec::Value(json!("Delete"))),
        2 => json_value().prop_map(ChangeSpec::Value),
    ]
    .boxed()
}

fn version_ref() -> BoxedStrategy<VersionRef> {
    prop_oneof![
        6 => Just(VersionRef::Current),
        2 => (-3i64..3).prop_map(VersionRef::Offset),
        1 => json_leaf().prop_map(VersionRef::Raw),
    ]
    .boxed()
}

fn filter() -> BoxedStrategy<Value> {
    prop_oneof![
        4 => (
            prop_oneof![3 => Just(String::new()), 2 => "[a-z]{0,6}", 1 => junk_string()],
            pick(&[(3, "Any"), (1, "Last7Days"), (1, "Last30Days"), (1, "Older"), (1, "7d"), (1, "")]),
            pick(&[(3, "Any"), (1, "Enabled"), (1, "Disabled"), (1, "enabled"), (1, "")]),
        )
            .prop_map(|(search, created, state)| json!({"search": search, "created": created, "state": state})),
        1 => json_value(),
    ]
    .boxed()
}

fn page() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => (0u32..5).prop_map(Value::from),
        1 => Just(json!(u32::MAX)),
        1 => Just(json!(-1)),
        1 => Just(json!(1e300)),
        1 => json_value(),
    ]
    .boxed()
}

fn introspect_call() -> BoxedStrategy<Call> {
    (
        proptest::option::weighted(0.9, secret_ref()),
        proptest::option::weighted(0.2, junk_string()),
    )
        .prop_map(|(token, hint)| Call::Introspect { token, hint })
        .boxed()
}

fn login_call() -> BoxedStrategy<Call> {
    (
        prop_oneof![3 => (0usize..5).prop_map(EmailRef::Role), 1 => junk_string().prop_map(EmailRef::Junk)],
        proptest::option::weighted(0.4, secret_junk()),
    )
        .prop_map(|(email, password)| Call::Login { email, password })
        .boxed()
}

/// Current and new passwords flip between the harness's and another good one, so a
/// change can succeed more than once; the rest is junk.
fn change_password_call() -> BoxedStrategy<Call> {
    let password = || {
        prop_oneof![
            3 => Just(PASSWORD.to_string()),
            3 => Just(OTHER_PASSWORD.to_string()),
            2 => secret_junk(),
            1 => Just(String::new()),
        ]
    };
    (
        password(),
        password(),
        proptest::option::weighted(0.2, secret_junk()),
    )
        .prop_map(|(current, new, confirm)| Call::ChangePassword {
            current,
            new,
            confirm,
        })
        .boxed()
}

fn add_user_call() -> BoxedStrategy<Call> {
    let role = prop_oneof![
        4 => select(&["account_admin", "implementation_specialist", "analyst", "finance"][..])
            .prop_map(Value::from),
        1 => json_leaf(),
    ];
    let email = prop_oneof![
        4 => "[a-z]{1,8}@new\\.test".prop_map(Value::from),
        1 => select(EMAILS.to_vec()).prop_map(Value::from),
        1 => json_leaf(),
    ];
    let name = prop_oneof![4 => "[A-Za-z ]{1,20}".prop_map(Value::from), 1 => json_leaf()];
    (email, name, role)
        .prop_map(|(email, name, role)| Call::AddUser {
            user: json!({ "email": email, "name": name, "role": role }),
        })
        .boxed()
}

/// The well-formed call for `target`, with random field values.
fn call_for(target: &Target) -> BoxedStrategy<Call> {
    match target {
        Target::Api(name) => match name.as_str() {
            "set_api_access" => prop_oneof![
                // Mostly on: with API access off the sandbox only says so.
                3 => Just(Value::from(true)),
                1 => Just(Value::from(false)),
                1 => json_leaf(),
            ]
            .prop_map(Call::SetApiAccess)
            .boxed(),
            "set_token_policy" => (
                prop_oneof![
                    4 => select(&["", "30", "60", "90", "180", "365"][..]).prop_map(Value::from),
                    1 => json_leaf(),
                ],
                proptest::option::weighted(
                    0.5,
                    prop_oneof![3 => Just(Value::from(true)), 1 => json_leaf()],
                ),
            )
                .prop_map(|(max_lifetime, allow_never)| Call::SetTokenPolicy {
                    max_lifetime,
                    allow_never,
                })
                .boxed(),
            "get_token" => (sid_ref(), proptest::option::weighted(0.3, page()))
                .prop_map(|(sid, history_page)| Call::GetToken { sid, history_page })
                .boxed(),
            "list_tokens" => (filter(), proptest::option::weighted(0.7, page()))
                .prop_map(|(filter, page)| Call::ListTokens { filter, page })
                .boxed(),
            "create_token" => (draft(), contact_ref())
                .prop_map(|(draft, contact)| Call::CreateToken { draft, contact })
                .boxed(),
            "change_token" => (sid_ref(), version_ref(), change())
                .prop_map(|(sid, version, change)| Call::ChangeToken {
                    sid,
                    version,
                    change,
                })
                .boxed(),
            "change_password" => change_password_call(),
            "confirm_app" => prop_oneof![
                3 => select(&["000000", "123456", " 12 34 56 ", "abcde-fghjk", "0"][..]).prop_map(Value::from),
                1 => json_leaf(),
            ]
            .prop_map(|code| Call::Field("code", code))
            .boxed(),
            "set_two_factor_rule" => prop_oneof![
                3 => select(&["off", "everyone", "token_managers", "Everyone"][..]).prop_map(Value::from),
                1 => json_leaf(),
            ]
            .prop_map(|rule| Call::Field("rule", rule))
            .boxed(),
            "add_user" => add_user_call(),
            "rename_passkey" => (passkey_id(), prop_oneof![
                3 => select(&["Desk key", "", "\u{7}", "é"][..]).prop_map(Value::from),
                1 => json_leaf(),
            ])
            .prop_map(|(id, name)| Call::Fields(vec![("id", id), ("name", name)]))
            .boxed(),
            "remove_passkey" => passkey_id().prop_map(|id| Call::Field("id", id)).boxed(),
            "set_single_sign_on" => single_sign_on_call(),
            "set_limits_policy" => set_limits_policy_call(),
            "create_budget" => create_budget_call(),
            "update_budget" => budget_call(true),
            "delete_budget" => budget_call(false),
            "request_token" => (draft(), contact_ref(), request_payloads::reason())
                .prop_map(|(draft, contact, reason)| Call::RequestToken {
                    draft,
                    contact,
                    reason,
                })
                .boxed(),
            name @ ("approve_request" | "deny_request" | "withdraw_request" | "claim_request"
            | "get_request" | "list_requests" | "set_token_creation") => {
                request_payloads::call(name)
            }
            name @ ("add_webhook" | "list_webhooks" | "get_webhook" | "rotate_webhook_secret"
            | "set_webhook_enabled" | "delete_webhook" | "send_test_webhook" | "resend_webhook") => {
                webhook_payloads::call(name)
            }
            _ => Just(Call::NoArgs).boxed(),
        },
        Target::Login => login_call(),
        Target::Passkeys(true) => passkey_options_call(),
        Target::Passkeys(false) => passkey_answer_call(),
        Target::Introspect | Target::Revoke => introspect_call(),
        _ => prop_oneof![
            3 => Just(Call::NoArgs),
            1 => login_call(),
            1 => introspect_call(),
        ]
        .boxed(),
    }
}

pub fn payload_for(target: &Target) -> BoxedStrategy<Payload> {
    let mutation = prop_oneof![
        8 => Just(Mutation::None),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => (field_name(), json_value()).prop_map(|(k, v)| Mutation::Extra(k, v)),
        1 => (0usize..4).prop_map(Mutation::Drop),
    ];
    let enc = pick(&[(8, "native"), (1, "json"), (1, "form")]).prop_map(|e| match e.as_str() {
        "json" => Enc::Json,
        "form" => Enc::Form,
        _ => Enc::Native,
    });
    let calls = matches!(
        target,
        Target::Api(_) | Target::Login | Target::Introspect | Target::Revoke | Target::Passkeys(_)
    );
    let call = (call_for(target), enc, mutation).prop_map(|(call, enc, mutation)| Payload::Call {
        call,
        enc,
        mutation,
    });
    let reports = matches!(target, Target::SecretReports { .. });
    prop_oneof![
        (if calls { 20 } else { 3 }) => call,
        (if reports { 20 } else { 1 }) => crate::reports::report(),
        3 => Just(Payload::Empty),
        1 => vec(any::<u8>(), 0..600).prop_map(Payload::Bytes),
        1 => any::<String>().prop_map(|s| Payload::Text(s.chars().take(300).collect())),
        2 => json_value().prop_map(Payload::Json),
        1 => (1usize..12_000, any::<bool>(), any::<bool>())
            .prop_map(|(depth, object, closed)| Payload::Nested { depth, object, closed }),
        1 => (
            select(&["", "enabled=true&padding=", "{\"draft\":{\"name\":\"", "sid=", "email=a&password="][..]).prop_map(str::to_string),
            60_000usize..72_000,
            select(&['x', '[', '%', '&', '\u{e9}'][..]),
        )
            .prop_map(|(prefix, len, fill)| Payload::Huge { prefix, len, fill }),
    ]
    .boxed()
}

/// A passkey ceremony's start: every purpose, and junk, with a name or not.
fn passkey_options_call() -> BoxedStrategy<Call> {
    let purpose = prop_oneof![
        4 => select(&["register", "sign_in", "second_step", "confirm_access", "Register", ""][..])
            .prop_map(Value::from),
        1 => json_leaf(),
    ];
    let name = proptest::option::weighted(
        0.5,
        prop_oneof![
            3 => select(&["Work laptop", "", " ", "\u{0}", "é"][..]).prop_map(Value::from),
            1 => json_leaf(),
        ],
    );
    (purpose, name)
        .prop_map(|(purpose, name)| {
            let mut fields = vec![("purpose", purpose)];
            fields.extend(name.map(|name| ("name", name)));
            Call::Fields(fields)
        })
        .boxed()
}

/// A passkey ceremony's answer: challenges that were never given, and credentials of every
/// shape (the fuzzer holds no authenticator).
fn passkey_answer_call() -> BoxedStrategy<Call> {
    let challenge = prop_oneof![
        3 => "[A-Za-z0-9_-]{43}".prop_map(Value::from),
        1 => json_leaf(),
    ];
    let credential = prop_oneof![
        2 => Just(serde_json::json!({
            "id": "AAAA", "rawId": "AAAA", "type": "public-key",
            "response": { "authenticatorData": "AAAA", "clientDataJSON": "AAAA", "signature": "AAAA", "userHandle": "AAAA" },
            "clientExtensionResults": {},
        })),
        1 => json_value(),
    ];
    (challenge, credential)
        .prop_map(|(challenge, credential)| {
            Call::Fields(vec![("challenge", challenge), ("credential", credential)])
        })
        .boxed()
}

/// A passkey's id: the first few a database hands out, and junk.
fn passkey_id() -> BoxedStrategy<Value> {
    prop_oneof![
        3 => (0i64..4).prop_map(Value::from),
        1 => json_leaf(),
    ]
    .boxed()
}

/// **Single sign-on**'s form, never with **Require single sign-on** (that would turn the
/// fuzzer's own password sign-ins off).
fn single_sign_on_call() -> BoxedStrategy<Call> {
    let issuer = prop_oneof![
        3 => select(&["https://login.example.test", "http://127.0.0.1:1", "http://evil.test", "", "https://a b"][..])
            .prop_map(Value::from),
        1 => json_leaf(),
    ];
    let client_id = prop_oneof![
        3 => select(&["tokensmith", "", "x y"][..]).prop_map(Value::from),
        1 => json_leaf(),
    ];
    // Never a word or number the logs say anyway: the scan looks for the secret in them.
    let secret =
        select(&["fuzz-client-secret-0123", "", "a b", "\u{0}", "é"][..]).prop_map(Value::from);
    let role = prop_oneof![
        3 => select(&["analyst", "finance", "account_admin", "root"][..]).prop_map(Value::from),
        1 => json_leaf(),
    ];
    (
        issuer,
        client_id,
        secret,
        role,
        proptest::option::of(select(&["on", "off", ""][..])),
    )
        .prop_map(|(issuer, client_id, secret, role, create)| {
            let mut fields = vec![
                ("issuer", issuer),
                ("client_id", client_id),
                ("client_secret", secret),
                ("default_role", role),
            ];
            fields.extend(create.map(|c| ("create_users", Value::from(c))));
            Call::Fields(fields)
        })
        .boxed()
}

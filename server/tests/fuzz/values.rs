//! Strategies for the values every other strategy draws on: weighted picks, junk
//! strings, secrets, references to tokens and contacts, JSON.

use crate::cases::{ContactRef, SecretRef, SidRef};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};
use serde_json::Value;

/// A string drawn from a weighted table; shrinks towards the first entry.
pub fn pick(table: &'static [(u32, &'static str)]) -> BoxedStrategy<String> {
    let total: u32 = table.iter().map(|(w, _)| w).sum();
    (0..total)
        .prop_map(move |mut r| {
            for (w, s) in table {
                if r < *w {
                    return s.to_string();
                }
                r -= w;
            }
            unreachable!()
        })
        .boxed()
}

/// Awkward values that often break parsers.
pub const NASTY: &[&str] = &[
    "",
    " ",
    "null",
    "true",
    "0",
    "-1",
    "9223372036854775808",
    "NaN",
    "%00",
    "\u{0}",
    "../..",
    "<script>",
    "' OR 1=1 --",
    "\"",
    "\\",
    "{}",
    "[]",
    "TS",
    "AC",
    "tsm_",
    "😀",
    "\u{202e}",
    "a\nb",
    "a\r\nX: y",
    "é",
    "\u{feff}",
];

pub fn junk_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_.-]{0,24}",
        2 => any::<String>().prop_map(|s| s.chars().take(48).collect()),
        2 => "[ -~]{0,48}",
        2 => select(NASTY).prop_map(str::to_string),
        1 => (1usize..3000).prop_map(|n| "A".repeat(n)),
    ]
    .boxed()
}

/// Junk for the places the harness' secret scan treats as secrets (Basic and Bearer
/// credentials, cookie values, `password=`): random, and never a value that is public by
/// design (a SID, an email, a fixed string used elsewhere), so finding one in the logs or
/// the database means the server really wrote it there.
pub fn secret_junk() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_.-]{0,24}",
        2 => any::<String>().prop_map(|s| s.chars().take(48).collect()),
        2 => "[ -~]{0,48}",
        1 => select(&["", " ", "null", "\u{0}", "%00", "😀", "a\nb", ":", "::"][..]).prop_map(str::to_string),
        1 => "tsm_[0-9A-Za-z]{0,40}",
    ]
    .boxed()
}

pub fn sid_ref() -> BoxedStrategy<SidRef> {
    prop_oneof![
        6 => (0usize..16).prop_map(SidRef::Own),
        2 => (0usize..4).prop_map(SidRef::Foreign),
        2 => (0usize..4).prop_map(SidRef::Unknown),
        1 => "TS[0-9A-Za-z]{32}".prop_map(SidRef::Junk),
        1 => "(TS|ts|AC)[0-9A-Za-z]{0,40}".prop_map(SidRef::Junk),
        2 => junk_string().prop_map(SidRef::Junk),
    ]
    .boxed()
}

pub fn secret_ref() -> BoxedStrategy<SecretRef> {
    prop_oneof![
        6 => (0usize..16).prop_map(SecretRef::Own),
        2 => (0usize..4).prop_map(SecretRef::Foreign),
        2 => (0usize..4).prop_map(SecretRef::Unknown),
        2 => (0usize..16, 0usize..40, any::<u8>())
            .prop_map(|(i, at, c)| SecretRef::Mangled(i, at, c)),
        1 => "tsm_[0-9A-Za-z]{36}".prop_map(SecretRef::Junk),
        2 => secret_junk().prop_map(SecretRef::Junk),
    ]
    .boxed()
}

pub fn contact_ref() -> BoxedStrategy<ContactRef> {
    prop_oneof![
        6 => (0usize..4).prop_map(ContactRef::Own),
        1 => Just(ContactRef::Foreign),
        2 => json_leaf().prop_map(ContactRef::Raw),
    ]
    .boxed()
}

pub fn field_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => select(&[
            "draft", "filter", "sid", "version", "change", "enabled", "name", "description",
            "scopes", "step", "api_version", "primary_contact", "developer_emails",
            "open_categories", "search", "created", "state", "email", "token",
            "token_type_hint", "Reset", "Overview", "__proto__", "", "Password",
        ][..])
        .prop_map(str::to_string),
        1 => junk_string(),
    ]
    .boxed()
}

pub fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::from),
        2 => any::<i64>().prop_map(Value::from),
        1 => (-3i64..300).prop_map(Value::from),
        1 => any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        3 => junk_string().prop_map(Value::from),
    ]
    .boxed()
}

pub fn json_value() -> BoxedStrategy<Value> {
    json_leaf()
        .prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..6).prop_map(Value::Array),
                vec((field_name(), inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
        .boxed()
}

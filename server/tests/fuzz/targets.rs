//! Strategies for where a request goes and how: paths, targets, query strings, and
//! methods by the kind of target.

use crate::cases::{AccountRef, Target};
use crate::encoding::{encode, encode_bytes};
use crate::values::{junk_string, pick, sid_ref};
use app::domain::catalog::CATEGORIES;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};

fn path_segment() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_.~-]{0,12}",
        2 => any::<String>().prop_map(|s| encode(&s.chars().take(12).collect::<String>())),
        1 => vec(any::<u8>(), 0..12).prop_map(|b| encode_bytes(&b)),
        2 => select(&[
            "%", "%2", "%zz", "%00", "%2F", "%2e%2e", "..", ".", "", "%C0%AF", "%ff%fe", ";",
            "a;b=c", "@", ":", "*", "{account}", "%7Bsid%7D", "%20", "+", "api", "pkg",
            "settings", "Advertisers", "tokens", "new",
        ][..])
        .prop_map(str::to_string),
    ]
    .boxed()
}

fn junk_path() -> BoxedStrategy<String> {
    vec(path_segment(), 0..8)
        .prop_map(|segments| format!("/{}", segments.join("/")))
        .boxed()
}

fn resource_name() -> BoxedStrategy<String> {
    prop_oneof![
        // The resources the fuzzer's tokens hold scopes for.
        8 => select(&["Reports", "Actions", "Ads", "ExceptionLists"][..]).prop_map(str::to_string),
        6 => (0usize..CATEGORIES.len()).prop_map(|i| CATEGORIES[i].resource.to_string()),
        1 => (0usize..CATEGORIES.len()).prop_map(|i| CATEGORIES[i].resource.to_lowercase()),
        1 => (0usize..CATEGORIES.len()).prop_map(|i| CATEGORIES[i].id.to_string()),
        1 => path_segment(),
    ]
    .boxed()
}

pub fn target(endpoints: Vec<String>) -> BoxedStrategy<Target> {
    let fixed = select(
        &[
            "/",
            "/login",
            "/healthz",
            "/readyz",
            "/metrics",
            "/openapi.json",
            "/settings",
            "/settings/users",
            "/settings/activity",
            "/settings/api/reference",
            "/settings/activity/export.csv",
            "/settings/activity/export.csv?from=x&action=%00",
            "/settings/api",
            "/settings/api/tokens/new",
            "/settings/api/security",
            "/settings/api/budgets",
            "/settings/security",
            "/login/two-factor",
            "/login/two-factor/cancel",
            "/confirm-access",
            "/confirm-access?next=//evil.test",
            "/passkey.js",
            "/enhance.js",
            "/islands.js",
            "/login/sso",
            "/login/sso?account=ACx&next=//evil.test",
            "/login/sso/callback?code=abc&state=def",
            "/login/sso/callback?error=access_denied&state=x",
            "/login/passkeys",
            "/pkg/tokensmith.wasm",
            "/favicon.svg",
            "/pkg/",
            "/pkg/../Cargo.toml",
            "/pkg/missing.js",
            "/settings/",
            "/settings/api/",
            "/settings/api/tokens",
            "/settings/api/tokens/",
            "/login/",
            "/LOGIN",
            "/api",
            "/api/",
            "/oauth",
            "/Advertisers",
            "/Advertisers/",
            "/logout",
            "/logout/everywhere",
            "/oauth/introspect/",
            "//",
            "/api//create_token",
            "/api/create_token/",
            "/api/CREATE_TOKEN",
            "/api/nope",
        ][..],
    )
    .prop_map(|p| Target::Fixed(p.to_string()));
    // The endpoints that change things, more often.
    let weighted: Vec<String> = endpoints
        .iter()
        .flat_map(|e| {
            let n = match e.as_str() {
                "change_token" => 3,
                "create_token" | "set_api_access" => 2,
                _ => 1,
            };
            std::iter::repeat_n(e.clone(), n)
        })
        .collect();
    let api = select(weighted).prop_map(Target::Api);
    let token_page = (
        sid_ref(),
        prop_oneof![6 => Just(String::new()), 1 => Just("/".to_string()), 1 => junk_path()],
    )
        .prop_map(|(sid, suffix)| Target::TokenPage(sid, suffix));
    let resource = prop_oneof![
        12 => Just(None),
        24 => resource_name().prop_map(Some),
    ];
    let account = prop_oneof![
        12 => Just(AccountRef::Own),
        2 => Just(AccountRef::Other),
        1 => "AC[0-9A-Za-z]{32}".prop_map(AccountRef::Junk),
        1 => path_segment().prop_map(AccountRef::Junk),
    ];
    let advertisers = (
        account,
        resource,
        proptest::option::weighted(
            0.2,
            prop_oneof![
                3 => "[a-zA-Z0-9_.-]{0,12}(/[a-zA-Z0-9_.-]{0,12}){0,2}",
                1 => vec(path_segment(), 1..4).prop_map(|s| s.join("/")),
            ],
        ),
    )
        .prop_map(|(account, resource, rest)| Target::Advertisers {
            account,
            resource,
            rest,
        });
    prop_oneof![
        18 => fixed,
        30 => api,
        8 => token_page,
        18 => advertisers,
        7 => Just(Target::Introspect),
        3 => Just(Target::Revoke),
        2 => Just(Target::Login),
        2 => Just(Target::Logout),
        3 => any::<bool>().prop_map(Target::Passkeys),
        3 => (any::<bool>(), proptest::bool::weighted(0.8))
            .prop_map(|(github, signed)| Target::SecretReports { github, signed }),
        10 => junk_path().prop_map(Target::Junk),
        1 => (
            prop_oneof![3 => 1000usize..8000, 1 => 8000usize..60_000],
            select(&['a', '/', '%'][..]),
        )
            .prop_map(|(n, c)| Target::Long(n, c)),
    ]
    .boxed()
}

pub fn query() -> BoxedStrategy<Option<String>> {
    let key = prop_oneof![
        4 => select(&["q", "created", "state", "sid", "step", "draft", "enabled", "", "q[]"][..]).prop_map(str::to_string),
        1 => junk_string().prop_map(|s| encode(&s)),
    ];
    let value = prop_oneof![
        4 => select(&["7d", "30d", "older", "enabled", "disabled", "", "feed", "true", "%", "%zz"][..]).prop_map(str::to_string),
        2 => junk_string().prop_map(|s| encode(&s)),
    ];
    prop_oneof![
        24 => Just(None),
        12 => vec((key, value), 0..5).prop_map(|kv| Some(
            kv.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        )),
        3 => junk_string().prop_map(|s| Some(encode(&s))),
        1 => prop_oneof![3 => 1000usize..8000, 1 => 8000usize..30_000]
            .prop_map(|n| Some(format!("q={}", "a".repeat(n)))),
    ]
    .boxed()
}

/// What a target is, for choosing likely methods and credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Pages, static files, random paths: browsers, mostly GET.
    Page,
    /// Server functions and the sign-in/out forms: mostly POST with a session.
    Form,
    Sandbox,
    Introspect,
}

pub fn kind(target: &Target) -> Kind {
    match target {
        Target::Api(_) | Target::Login | Target::Logout | Target::Passkeys(_) => Kind::Form,
        Target::Advertisers { .. } => Kind::Sandbox,
        Target::Introspect | Target::Revoke | Target::SecretReports { .. } => Kind::Introspect,
        _ => Kind::Page,
    }
}

pub fn method(kind: Kind) -> BoxedStrategy<String> {
    let common = match kind {
        Kind::Page => pick(&[
            (50, "GET"),
            (20, "POST"),
            (8, "HEAD"),
            (3, "PUT"),
            (4, "DELETE"),
            (3, "PATCH"),
            (3, "OPTIONS"),
        ]),
        Kind::Form | Kind::Introspect => pick(&[
            (80, "POST"),
            (8, "GET"),
            (2, "HEAD"),
            (2, "PUT"),
            (2, "DELETE"),
            (2, "PATCH"),
            (2, "OPTIONS"),
        ]),
        Kind::Sandbox => pick(&[
            (30, "GET"),
            (15, "POST"),
            (12, "PUT"),
            (8, "PATCH"),
            (12, "DELETE"),
            (4, "HEAD"),
            (3, "OPTIONS"),
        ]),
    };
    prop_oneof![
        40 => common,
        3 => pick(&[
            (2, "PROPFIND"),
            (1, "TRACE"),
            (1, "CONNECT"),
            (1, "get"),
            (1, "post"),
            (1, "BREW"),
        ]),
        1 => "[A-Z!#$%&'*+.^_`|~-]{1,20}",
        // Long made-up methods: each would be a new metrics series if labels took them.
        1 => ("[A-Z]{1,8}", 100usize..4096).prop_map(|(stem, n)| stem.repeat(n / stem.len() + 1)),
    ]
    .boxed()
}

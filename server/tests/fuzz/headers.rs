//! Strategies for headers: cookies, credentials, content types, fetch metadata and the
//! rest.

use crate::cases::{AuthChoice, Client, CookieChoice, Cred, Headers, LenChoice};
use crate::harness::HOST;
use crate::targets::Kind;
use crate::values::{junk_string, secret_junk, secret_ref, sid_ref};
use crate::world::SESSION_COOKIE;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};

fn cookie(kind: Kind) -> BoxedStrategy<CookieChoice> {
    let (none, role) = match kind {
        Kind::Page | Kind::Form => (3, 18),
        Kind::Sandbox | Kind::Introspect => (12, 3),
    };
    prop_oneof![
        none => Just(CookieChoice::None),
        role => (0usize..5).prop_map(CookieChoice::Role),
        1 => Just(CookieChoice::Dead),
        2 => prop_oneof![
            2 => "[A-Za-z0-9_-]{0,70}".prop_map(|v| format!("{SESSION_COOKIE}={v}")),
            1 => secret_junk(),
        ]
        .prop_map(CookieChoice::Junk),
        1 => (4000usize..100_000).prop_map(CookieChoice::Huge),
        1 => (0usize..5, "[a-z=; ]{0,30}").prop_map(|(r, j)| CookieChoice::Mixed(r, j)),
        1 => (0usize..5, 0usize..5).prop_map(|(a, b)| CookieChoice::Twice(a, b)),
        1 => vec(any::<u8>(), 0..80).prop_map(CookieChoice::Bytes),
    ]
    .boxed()
}

fn cred() -> BoxedStrategy<Cred> {
    prop_oneof![
        2 => sid_ref().prop_map(Cred::Sid),
        2 => secret_ref().prop_map(Cred::Secret),
        1 => junk_string().prop_map(Cred::Junk),
    ]
    .boxed()
}

/// What goes after the colon of Basic credentials (the harness scans for it).
fn password_cred() -> BoxedStrategy<Cred> {
    prop_oneof![
        3 => secret_ref().prop_map(Cred::Secret),
        1 => secret_junk().prop_map(Cred::Junk),
    ]
    .boxed()
}

fn auth(kind: Kind) -> BoxedStrategy<AuthChoice> {
    let (none, real, key) = match kind {
        Kind::Page | Kind::Form => (14, 2, 1),
        Kind::Sandbox => (3, 14, 1),
        Kind::Introspect => (2, 2, 14),
    };
    prop_oneof![
        none => Just(AuthChoice::None),
        real => (0usize..16).prop_map(AuthChoice::Real),
        1 => (0usize..4).prop_map(AuthChoice::RealForeign),
        3 => (cred(), password_cred()).prop_map(|(u, p)| AuthChoice::Basic(u, p)),
        1 => prop_oneof![
            2 => secret_junk(),
            1 => (257usize..2000).prop_map(|n| "QUFB".repeat(n / 4)),
            1 => "[A-Za-z0-9+/=]{0,80}",
        ]
        .prop_map(AuthChoice::BasicRaw),
        key => Just(AuthChoice::Bearer(None)),
        2 => secret_junk().prop_map(|k| AuthChoice::Bearer(Some(k))),
        1 => vec(any::<u8>(), 0..80).prop_map(AuthChoice::Raw),
    ]
    .boxed()
}

pub fn headers(kind: Kind) -> BoxedStrategy<Headers> {
    let content_type = prop_oneof![
        20 => Just(None),
        1 => Just(Some(String::new())),
        3 => select(&[
            "application/x-www-form-urlencoded",
            "application/json",
            "text/plain",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/json; charset=utf-8",
            "application/cbor",
            "application/x-www-form-urlencoded; charset=latin1",
            "*/*",
            "application/json, application/x-www-form-urlencoded",
        ][..])
        .prop_map(|s| Some(s.to_string())),
        1 => junk_string().prop_map(Some),
    ];
    // Browsers send fetch metadata; other services, calling the sandbox API or
    // introspection, mostly don't.
    let (absent, same) = match kind {
        Kind::Page | Kind::Form => (4, 10),
        Kind::Sandbox | Kind::Introspect => (12, 2),
    };
    let fetch_site = prop_oneof![
        absent => Just(None),
        same => Just(Some("same-origin".to_string())),
        1 => select(&["cross-site", "same-site", "none", "Same-Origin", ""][..]).prop_map(|s| Some(s.to_string())),
        1 => junk_string().prop_map(Some),
    ];
    let origin = prop_oneof![
        (if matches!(kind, Kind::Page | Kind::Form) { 8 } else { 30 }) => Just(None),
        2 => select(&["http://127.0.0.1:3000", "https://evil.test", "null", "http://127.0.0.1:3000.evil.test", "HTTP://127.0.0.1:3000", "127.0.0.1:3000"][..])
            .prop_map(|s| Some(s.to_string())),
        1 => junk_string().prop_map(Some),
    ];
    let host = prop_oneof![
        12 => Just(Some(HOST.to_string())),
        1 => Just(None),
        1 => junk_string().prop_map(Some),
    ];
    let ir_version = prop_oneof![
        10 => Just(None),
        4 => select(&["11", "12", "13", "14", "0", "15", "200", "-1", "junk", " 12 ", "12.0", "", "+12", "99999999999999999999", "١٢"][..])
            .prop_map(|s| Some(s.to_string())),
        1 => junk_string().prop_map(Some),
    ];
    let accept = prop_oneof![
        4 => Just(None),
        4 => select(&["text/html", "application/json", "*/*", "text/html,application/xhtml+xml", "application/cbor", ""][..])
            .prop_map(|s| Some(s.to_string())),
        1 => junk_string().prop_map(Some),
    ];
    let referer = prop_oneof![
        8 => Just(None),
        3 => select(&[
            "http://127.0.0.1:3000/settings/api",
            "http://127.0.0.1:3000/settings/api/tokens/new?step=2",
            "https://evil.test/",
            "/relative",
            "http://127.0.0.1:3000/settings/api?__path=/api/x&__err=junk",
            "not a url",
            "",
        ][..])
        .prop_map(|s| Some(s.to_string())),
        1 => junk_string().prop_map(Some),
    ];
    let length = prop_oneof![
        6 => Just(LenChoice::None),
        4 => Just(LenChoice::Exact),
        1 => (-100i64..100).prop_map(LenChoice::Delta),
        1 => select(&["abc", "-1", "99999999999999999999", "0", "70000", "1, 2", ""][..]).prop_map(|s| LenChoice::Raw(s.to_string())),
    ];
    let client = prop_oneof![
        1 => Just(Client::Unknown),
        8 => Just(Client::Fresh),
        1 => (0u8..4).prop_map(Client::Fixed),
    ];
    let extra = vec(
        prop_oneof![
            2 => Just(("x-forwarded-proto".to_string(), "https".to_string())),
            1 => Just(("transfer-encoding".to_string(), "chunked".to_string())),
            1 => Just(("expect".to_string(), "100-continue".to_string())),
            1 => Just(("content-encoding".to_string(), "gzip".to_string())),
            1 => Just(("x-http-method-override".to_string(), "DELETE".to_string())),
            // A request id to keep or replace (the oracle checks one is always answered).
            1 => junk_string().prop_map(|v| ("x-request-id".to_string(), v)),
            // A second value for a header that is already there.
            1 => select(&[
                ("content-length", "0"),
                ("content-type", "application/json"),
                ("cookie", "tokensmith_session=x"),
                ("host", "evil.test"),
                ("sec-fetch-site", "cross-site"),
                ("authorization", "Basic Og=="),
            ][..])
            .prop_map(|(k, v)| (k.to_string(), v.to_string())),
            1 => ("x-[a-z]{1,10}", junk_string()),
            // Forwarded addresses as a trusted proxy passes them on (the fuzzed app trusts
            // 192.168.0.0/24, `Client::Fixed`): readable, ported, bracketed, garbled.
            2 => prop_oneof![
                3 => select(&[
                    "203.0.113.7",
                    "203.0.113.7:5151",
                    "[2001:db8::7]:443",
                    "2001:db8::7",
                    "192.168.0.1, 203.0.113.9",
                    "127.0.0.1",
                    "unknown",
                    "203.0.113.7, junk",
                    ", ,",
                    "1.2.3.4:99999",
                ][..])
                .prop_map(str::to_string),
                1 => junk_string(),
            ]
            .prop_map(|v| ("x-forwarded-for".to_string(), v)),
        ],
        0..2,
    );
    (
        (
            cookie(kind),
            auth(kind),
            content_type,
            fetch_site,
            origin,
            host,
        ),
        (ir_version, accept, referer, length, client, extra),
    )
        .prop_map(
            |(
                (cookie, auth, content_type, fetch_site, origin, host),
                (ir_version, accept, referer, length, client, extra),
            )| Headers {
                cookie,
                auth,
                content_type,
                fetch_site,
                origin,
                host,
                ir_version,
                accept,
                referer,
                length,
                client,
                extra,
            },
        )
        .boxed()
}

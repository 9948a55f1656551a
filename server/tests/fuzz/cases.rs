//! Cases: symbolic requests, and the strategy that generates them with proptest.

use crate::harness::HOST;
use crate::headers::headers;
use crate::payloads::payload_for;
use crate::targets::{kind, method, query, target, Kind};
use crate::world::WRITERS;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::{BoxedStrategy, Strategy};
use serde_json::Value;

#[derive(Debug, Clone)]
pub enum SidRef {
    Own(usize),
    Foreign(usize),
    Unknown(usize),
    Junk(String),
}

#[derive(Debug, Clone)]
pub enum SecretRef {
    Own(usize),
    Foreign(usize),
    Unknown(usize),
    /// An own token's secret with one character replaced (bad checksum).
    Mangled(usize, usize, u8),
    Junk(String),
}

#[derive(Debug, Clone)]
pub enum AccountRef {
    Own,
    Other,
    Junk(String),
}

#[derive(Debug, Clone)]
pub enum ContactRef {
    Own(usize),
    Foreign,
    Raw(Value),
}

#[derive(Debug, Clone)]
pub enum VersionRef {
    Current,
    Offset(i64),
    Raw(Value),
}

#[derive(Debug, Clone)]
pub enum EmailRef {
    Role(usize),
    Junk(String),
}

#[derive(Debug, Clone)]
pub enum Target {
    /// A fixed path: pages, static files, near-misses.
    Fixed(String),
    Api(String),
    TokenPage(SidRef, String),
    Advertisers {
        account: AccountRef,
        /// `None`: a resource and method the credentials' token holds a scope for (the
        /// case's method is then replaced by the scope's).
        resource: Option<String>,
        rest: Option<String>,
    },
    Introspect,
    /// `POST /oauth/revoke` (the same form as introspection, without a key).
    Revoke,
    Login,
    Logout,
    /// `POST /login/passkeys/options` (`true`) or `/login/passkeys/answer` (`false`): JSON.
    Passkeys(bool),
    /// `POST /secret-scanning/github` (`github`; `signed`: with the app's key over the body
    /// as sent) or `POST /secret-scanning/report`.
    SecretReports {
        github: bool,
        signed: bool,
    },
    /// An already-encoded random path.
    Junk(String),
    Long(usize, char),
}

#[derive(Debug, Clone)]
pub enum ChangeSpec {
    Value(Value),
    Contacts { contact: ContactRef, emails: Value },
}

#[derive(Debug, Clone)]
pub enum Call {
    NoArgs,
    /// A server function of one field (`confirm_app`'s code, `set_two_factor_rule`'s rule).
    Field(&'static str, Value),
    /// Several named fields (a passkey ceremony's JSON).
    Fields(Vec<(&'static str, Value)>),
    /// Several named fields of a server function that takes JSON (`approve_request`).
    JsonFields(Vec<(&'static str, Value)>),
    /// **Request token**: a draft with a contact, and a reason.
    RequestToken {
        draft: Value,
        contact: ContactRef,
        reason: Value,
    },
    SetApiAccess(Value),
    SetTokenPolicy {
        max_lifetime: Value,
        allow_never: Option<Value>,
    },
    GetToken {
        sid: SidRef,
        history_page: Option<Value>,
    },
    ListTokens {
        filter: Value,
        page: Option<Value>,
    },
    CreateToken {
        draft: Value,
        contact: ContactRef,
    },
    ChangeToken {
        sid: SidRef,
        version: VersionRef,
        change: ChangeSpec,
    },
    Login {
        email: EmailRef,
        password: Option<String>,
    },
    /// **Change password**: `confirm` is `new` when `None`.
    ChangePassword {
        current: String,
        new: String,
        confirm: Option<String>,
    },
    /// **Add user**: harmless to the world (a new user nobody signs in as).
    AddUser {
        user: Value,
    },
    Introspect {
        token: Option<SecretRef>,
        hint: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enc {
    Native,
    Json,
    Form,
}

#[derive(Debug, Clone)]
pub enum Mutation {
    None,
    Truncate(usize),
    Extra(String, Value),
    Drop(usize),
}

#[derive(Debug, Clone)]
pub enum Payload {
    Empty,
    Bytes(Vec<u8>),
    Text(String),
    Json(Value),
    Nested {
        depth: usize,
        object: bool,
        closed: bool,
    },
    Huge {
        prefix: String,
        len: usize,
        fill: char,
    },
    Call {
        call: Call,
        enc: Enc,
        mutation: Mutation,
    },
    /// A secret-scanning report: secrets (the world's, mangled, unknown, junk) and URLs.
    Report(Vec<(SecretRef, Option<String>)>),
}

#[derive(Debug, Clone)]
pub enum CookieChoice {
    None,
    Role(usize),
    Dead,
    Junk(String),
    Huge(usize),
    Mixed(usize, String),
    Twice(usize, usize),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
pub enum Cred {
    Sid(SidRef),
    Secret(SecretRef),
    Junk(String),
}

#[derive(Debug, Clone)]
pub enum AuthChoice {
    None,
    Real(usize),
    RealForeign(usize),
    Basic(Cred, Cred),
    BasicRaw(String),
    /// `None`: the real introspection key.
    Bearer(Option<String>),
    Raw(Vec<u8>),
}

#[derive(Debug, Clone)]
pub enum LenChoice {
    None,
    Exact,
    Delta(i64),
    Raw(String),
}

#[derive(Debug, Clone)]
pub enum Client {
    Unknown,
    Fresh,
    Fixed(u8),
}

#[derive(Debug, Clone)]
pub struct Headers {
    pub cookie: CookieChoice,
    pub auth: AuthChoice,
    /// `None`: the payload's own type (form or JSON); `Some("")`: no header.
    pub content_type: Option<String>,
    pub fetch_site: Option<String>,
    pub origin: Option<String>,
    pub host: Option<String>,
    pub ir_version: Option<String>,
    pub accept: Option<String>,
    /// Leptos answers a server function called with `Accept: text/html` (a form post
    /// without JavaScript) with a redirect to the `Referer`.
    pub referer: Option<String>,
    pub length: LenChoice,
    pub client: Client,
    pub extra: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub method: String,
    /// `scheme://authority` put before the path (absolute-form request target).
    pub authority: Option<String>,
    pub target: Target,
    pub query: Option<String>,
    pub payload: Payload,
    pub headers: Headers,
}

pub fn case(endpoints: Vec<String>) -> BoxedStrategy<Case> {
    target(endpoints)
        .prop_flat_map(|target| {
            let kind = kind(&target);
            (
                method(kind),
                query(),
                payload_for(&target),
                headers(kind),
                Just(target),
                prop_oneof![
                    30 => Just(None),
                    1 => select(&["http://127.0.0.1:3000", "https://evil.test", "http://[::1]:3000", "http://u:p@127.0.0.1:3000"][..])
                        .prop_map(|a| Some(a.to_string())),
                ],
                // Polite: sent as the app's own page would, so that the random values
                // in a well-formed call reach the server function's rules and the
                // database rather than stopping at the first check.
                (proptest::bool::weighted(0.4), 0usize..WRITERS.len()),
            )
        })
        .prop_map(
            |(method, query, payload, headers, target, authority, (polite, writer))| {
                let mut case = Case {
                    method,
                    authority,
                    target,
                    query,
                    payload,
                    headers,
                };
                if polite && kind(&case.target) == Kind::Form {
                    case.method = "POST".into();
                    case.authority = None;
                    case.headers.cookie = CookieChoice::Role(WRITERS[writer]);
                    case.headers.content_type = None;
                    case.headers.fetch_site = Some("same-origin".into());
                    case.headers.origin = None;
                    case.headers.host = Some(HOST.into());
                    case.headers.extra.clear();
                    if let Payload::Call { enc, mutation, .. } = &mut case.payload {
                        *enc = Enc::Native;
                        *mutation = Mutation::None;
                    }
                }
                case
            },
        )
        .boxed()
}

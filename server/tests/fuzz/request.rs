//! A resolved case made into a request: its body, its headers, and what the checks need
//! to know about it.

use crate::cases::{Call, Case, Client, Enc, LenChoice, Mutation, Payload, Target};
use crate::encoding::{form_encode, header_value};
use crate::harness::TestApp;
use crate::world::World;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::header::{HeaderName, HeaderValue};
use http::{header, HeaderMap, Method, Request};
use serde_json::Value;
use std::fmt::Write as _;
use std::net::SocketAddr;

/// The body bytes and the content type they were written in.
async fn body(
    world: &World,
    app: &TestApp,
    payload: &Payload,
    target: &Target,
) -> (Vec<u8>, &'static str) {
    const FORM: &str = "application/x-www-form-urlencoded";
    const JSON: &str = "application/json";
    match payload {
        Payload::Empty => (Vec::new(), FORM),
        Payload::Bytes(b) => (b.clone(), FORM),
        Payload::Text(s) => (s.clone().into_bytes(), FORM),
        Payload::Json(v) => (v.to_string().into_bytes(), JSON),
        Payload::Report(items) => (crate::reports::body(world, items, target), JSON),
        Payload::Nested {
            depth,
            object,
            closed,
        } => {
            let (open, close) = if *object {
                ("{\"a\":", "}")
            } else {
                ("[", "]")
            };
            let mut s = open.repeat(*depth);
            if *closed {
                s.push_str("null");
                s.push_str(&close.repeat(*depth));
            }
            (s.into_bytes(), JSON)
        }
        Payload::Huge { prefix, len, fill } => {
            let mut s = prefix.clone();
            while s.len() < *len {
                s.push(*fill);
            }
            (s.into_bytes(), FORM)
        }
        Payload::Call {
            call,
            enc,
            mutation,
        } => {
            let mut fields = world.fields(app, call).await;
            match mutation {
                Mutation::Extra(k, v) => fields.push((k.clone(), v.clone())),
                Mutation::Drop(i) if !fields.is_empty() => {
                    let at = i % fields.len();
                    fields.remove(at);
                }
                _ => {}
            }
            let json_native = matches!(
                call,
                Call::GetToken { .. }
                    | Call::ListTokens { .. }
                    | Call::CreateToken { .. }
                    | Call::ChangeToken { .. }
                    | Call::AddUser { .. }
                    | Call::JsonFields(_)
                    | Call::RequestToken { .. }
            ) && matches!(target, Target::Api(_))
                || matches!(target, Target::Passkeys(_));
            let as_json = match enc {
                Enc::Native => json_native,
                Enc::Json => true,
                Enc::Form => false,
            };
            let mut bytes = if as_json {
                let map: serde_json::Map<String, Value> = fields.into_iter().collect();
                Value::Object(map).to_string().into_bytes()
            } else {
                fields
                    .iter()
                    .map(|(k, v)| {
                        let text = match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        format!("{}={}", form_encode(k), form_encode(&text))
                    })
                    .collect::<Vec<_>>()
                    .join("&")
                    .into_bytes()
            };
            if let Mutation::Truncate(n) = mutation {
                if !bytes.is_empty() {
                    bytes.truncate(n % bytes.len());
                }
            }
            (bytes, if as_json { JSON } else { FORM })
        }
    }
}

/// A request ready to send, and what the checks need to know about it.
pub struct Prepared {
    pub request: Request<Body>,
    /// Human-readable, for failure reports.
    pub text: String,
    pub class: &'static str,
    pub session_role: Option<usize>,
    pub cross_site_write: bool,
    pub safe_method: bool,
}

pub fn class(target: &Target) -> &'static str {
    match target {
        Target::Fixed(p)
            if p.starts_with("/pkg")
                || ["/favicon.svg", "/passkey.js", "/enhance.js", "/islands.js"]
                    .contains(&p.as_str()) =>
        {
            "static"
        }
        Target::Fixed(_) => "page",
        Target::Api(_) => "server fn",
        Target::TokenPage(..) => "token page",
        Target::Advertisers { .. } => "sandbox",
        Target::Introspect => "introspect",
        Target::Revoke => "revoke",
        Target::Login => "login",
        Target::Logout => "logout",
        Target::Passkeys(_) => "passkeys",
        Target::SecretReports { .. } => "report",
        Target::Junk(_) | Target::Long(..) => "junk path",
    }
}

pub fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…({} bytes in all)", &text[..end], text.len())
}

pub async fn prepare(world: &mut World, app: &TestApp, case: &Case) -> Result<Prepared, String> {
    let mut method = Method::from_bytes(case.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut target = case.target.clone();
    if let Target::Advertisers { resource, .. } = &mut target {
        if resource.is_none() {
            let (granted, verb) = world.granted(app, &case.headers.auth).await;
            *resource = Some(granted);
            method = Method::from_bytes(verb.as_bytes()).map_err(|e| e.to_string())?;
        }
    }
    let mut uri = case.authority.clone().unwrap_or_default();
    uri.push_str(&world.path(&target));
    if let Some(query) = &case.query {
        uri.push('?');
        uri.push_str(query);
    }
    let (bytes, native_type) = body(world, app, &case.payload, &case.target).await;
    let h = &case.headers;
    let mut headers = HeaderMap::new();
    if let Some(host) = &h.host {
        headers.insert(header::HOST, header_value(host.as_bytes()));
    }
    for value in world.cookie_values(&h.cookie) {
        headers.append(header::COOKIE, value);
    }
    if let Some(value) = world.authorization(&h.auth) {
        headers.insert(header::AUTHORIZATION, value);
    }
    match &h.content_type {
        None if !bytes.is_empty() || method == Method::POST => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(native_type));
        }
        Some(ct) if !ct.is_empty() => {
            headers.insert(header::CONTENT_TYPE, header_value(ct.as_bytes()));
        }
        _ => {}
    }
    let optional = [
        ("sec-fetch-site", &h.fetch_site),
        ("origin", &h.origin),
        ("ir-version", &h.ir_version),
        ("accept", &h.accept),
        ("referer", &h.referer),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            headers.insert(name, header_value(value.as_bytes()));
        }
    }
    match &h.length {
        LenChoice::None => {}
        LenChoice::Exact => {
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
        }
        LenChoice::Delta(d) => {
            let n = (bytes.len() as i64 + d).max(0);
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
        }
        LenChoice::Raw(s) => {
            headers.insert(header::CONTENT_LENGTH, header_value(s.as_bytes()));
        }
    }
    for (name, value) in &h.extra {
        if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
            headers.append(name, header_value(value.as_bytes()));
        }
    }
    if let Target::SecretReports {
        github: true,
        signed: true,
    } = &case.target
    {
        crate::reports::sign(app, &bytes, &mut headers);
    }
    let client = match h.client {
        Client::Unknown => None,
        Client::Fresh => {
            world.fresh_ip += 1;
            let n = world.fresh_ip.to_be_bytes();
            Some(SocketAddr::from(([10, n[1], n[2], n[3]], 40000)))
        }
        Client::Fixed(k) => Some(SocketAddr::from(([192, 168, 0, k], 40000))),
    };
    let safe = matches!(method, Method::GET | Method::HEAD | Method::OPTIONS);
    let cross_site_write = !safe && !server::http::middleware::same_site(&headers);

    let mut text = format!("{method} {}\n", shorten(&uri, 300));
    for (name, value) in &headers {
        let value = String::from_utf8_lossy(value.as_bytes());
        let _ = writeln!(text, "  {name}: {}", shorten(&value, 200));
    }
    if let Some(addr) = client {
        let _ = writeln!(text, "  (client address {addr})");
    }
    let shown = String::from_utf8_lossy(&bytes);
    let _ = write!(
        text,
        "  body ({} bytes): {:?}",
        bytes.len(),
        shorten(&shown, 400)
    );

    let mut builder = Request::builder().method(method).uri(&uri);
    if let Some(all) = builder.headers_mut() {
        *all = headers;
    }
    let mut request = builder.body(Body::from(bytes)).map_err(|e| e.to_string())?;
    if let Some(addr) = client {
        request.extensions_mut().insert(ConnectInfo(addr));
    }
    Ok(Prepared {
        request,
        text,
        class: class(&case.target),
        session_role: World::session_role(&h.cookie),
        cross_site_write,
        safe_method: safe,
    })
}

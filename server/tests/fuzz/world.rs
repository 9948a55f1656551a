//! Who and what exists: the roles, the server functions, and the live state symbolic
//! choices are resolved against.

use crate::harness::{ADMIN, ANALYST, FINANCE, SPECIALIST};
use std::time::Duration;

/// The administrator of a second account, for cross-account requests.
pub const OTHER_ADMIN: &str = "admin@other.test";
/// The good password **Change password** calls flip to and from the harness's.
pub const OTHER_PASSWORD: &str = "another password for the fuzzer";
/// Sign-in emails, indexed by the role numbers cases use.
pub const EMAILS: [&str; 5] = [ADMIN, SPECIALIST, ANALYST, FINANCE, OTHER_ADMIN];
/// Role numbers whose sessions may change tokens and API access.
pub const WRITERS: [usize; 3] = [0, 1, 4];
pub const SESSION_COOKIE: &str = "tokensmith_session";

/// Server functions known when this was written; any other `endpoint = "…"` found in
/// app/src/api is added at start.
const KNOWN_ENDPOINTS: [&str; 8] = [
    "session_info",
    "api_settings",
    "set_api_access",
    "list_contacts",
    "list_tokens",
    "create_token",
    "change_token",
    "get_token",
];

/// Every server function endpoint declared under app/src/api, plus the known ones.
pub fn endpoints() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let mut rest = text.as_str();
                while let Some(at) = rest.find("endpoint = \"") {
                    rest = &rest[at + 12..];
                    if let Some(end) = rest.find('"') {
                        out.push(rest[..end].to_string());
                    }
                }
            }
        }
    }
    let mut found: Vec<String> = KNOWN_ENDPOINTS.iter().map(|s| s.to_string()).collect();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src/api"),
        &mut found,
    );
    found.sort();
    found.dedup();
    found
}

/// A token the fuzzer knows the credentials of.
#[derive(Debug, Clone)]
pub struct Tok {
    pub sid: String,
    pub secret: String,
    pub live: bool,
}

/// The live state symbolic choices are resolved against.
pub struct World {
    /// `Cookie` values (`tokensmith_session=…`) by role number.
    pub cookies: Vec<String>,
    /// A session that was signed out.
    pub dead_cookie: String,
    pub own: Vec<Tok>,
    pub foreign: Vec<Tok>,
    /// Well-formed credentials that were never issued.
    pub unknown: Vec<(String, String)>,
    pub own_account: String,
    pub other_account: String,
    pub own_contacts: Vec<i64>,
    pub foreign_contact: i64,
    pub fresh_ip: u32,
    pub made: u32,
    /// The database's fingerprint after the last case, if nothing has changed since.
    pub fingerprint: Option<(String, String)>,
    /// Time spent generating cases, resolving them, in the exchange, and checking.
    pub phases: [Duration; 4],
}

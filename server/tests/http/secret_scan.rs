//! The secret scan every test's app runs when it is dropped: no secret issued, password
//! sent or session id given during the test may be in the logs written meanwhile, in the
//! database file or in its write-ahead log, in any form it could be written in
//! (`encodings::forms`). A secret once noted is looked for until the test ends.

#[path = "secret_encodings.rs"]
mod encodings;

use axum::body::Body;
use http::{header, HeaderMap, Request};
use http_body_util::BodyExt;
use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::{Mutex, Once};

/// Everything any test logged, at debug level and above.
static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// Shortest value treated as a secret: shorter ones match by chance.
const SHORTEST: usize = 8;

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug,sqlx=info"))
            .with_writer(|| LogWriter)
            .with_ansi(false)
            .try_init();
    });
}

/// Every log line any test has written so far that contains `needle`.
pub fn log_lines_with(needle: &str) -> Vec<String> {
    let logs = LOGS.lock().unwrap_or_else(|e| e.into_inner());
    String::from_utf8_lossy(&logs)
        .lines()
        .filter(|line| line.contains(needle))
        .map(str::to_string)
        .collect()
}

/// Where the logs end now, for [`log_lines_since`].
pub fn log_mark() -> usize {
    log_len()
}

/// Every log line written since `mark` (by any test) that contains `needle`.
pub fn log_lines_since(mark: usize, needle: &str) -> Vec<String> {
    let logs = LOGS.lock().unwrap_or_else(|e| e.into_inner());
    String::from_utf8_lossy(logs.get(mark..).unwrap_or_default())
        .lines()
        .filter(|line| line.contains(needle))
        .map(str::to_string)
        .collect()
}

fn log_len() -> usize {
    LOGS.lock().unwrap_or_else(|e| e.into_inner()).len()
}

/// The secrets one test's app has seen, checked when it is dropped.
pub struct Secrets {
    database: Database,
    log_start: usize,
    seen: Mutex<BTreeSet<String>>,
    /// Secrets the database keeps as they are (authenticator keys, identity providers' client secrets): looked for in the logs.
    logged_never: Mutex<BTreeSet<String>>,
    /// Values a test sends everywhere as junk (the fuzzer's awkward strings): never taken
    /// for secrets when they turn up in a password field.
    not_secrets: Mutex<BTreeSet<String>>,
}

/// Where the test's data lives.
pub enum Database {
    /// A SQLite file (its WAL beside it).
    File(PathBuf),
    /// A PostgreSQL database, read back with `pg_dump` (rows as text, bytes as hex).
    Postgres(String),
}

impl Database {
    /// What to search, each with where it is.
    fn contents(&self) -> Vec<(&'static str, Vec<u8>)> {
        match self {
            Database::File(path) => {
                let wal = PathBuf::from(format!("{}-wal", path.display()));
                vec![
                    ("the database", std::fs::read(path).unwrap_or_default()),
                    ("the WAL", std::fs::read(&wal).unwrap_or_default()),
                ]
            }
            Database::Postgres(url) => {
                let dump = std::process::Command::new("pg_dump")
                    .args(["--data-only", "--no-owner", url])
                    .output()
                    .expect("pg_dump runs (Debian's postgresql-client)");
                assert!(
                    dump.status.success(),
                    "pg_dump failed: {}",
                    String::from_utf8_lossy(&dump.stderr)
                );
                assert!(!dump.stdout.is_empty());
                vec![("the database (pg_dump)", dump.stdout)]
            }
        }
    }
}

impl Secrets {
    /// Starts capturing logs (once per process) and watching `database`.
    pub fn new(database: Database) -> Self {
        capture_logs();
        Self {
            database,
            log_start: log_len(),
            seen: Mutex::default(),
            logged_never: Mutex::default(),
            not_secrets: Mutex::default(),
        }
    }

    /// Remembers `value` as a secret, unless it is too short or one repeated character
    /// (a test's "x" × 5000 is not a secret, and would match by chance).
    pub fn note(&self, value: &str) {
        let value = value.trim();
        let mut chars = value.chars();
        let first = chars.next();
        if value.len() < SHORTEST || chars.all(|c| Some(c) == first) {
            return;
        }
        let junk = self.not_secrets.lock().unwrap_or_else(|e| e.into_inner());
        if junk.contains(value) {
            return;
        }
        drop(junk);
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(value.to_string());
    }

    /// Values sent everywhere as junk (a path as much as a password field): not secrets.
    #[allow(dead_code)] // the fuzzer's
    pub fn not_secrets(&self, values: &[&str]) {
        let mut junk = self.not_secrets.lock().unwrap_or_else(|e| e.into_inner());
        junk.extend(values.iter().map(|v| v.trim().to_string()));
    }

    /// Notes the credentials a request carries: `Authorization`, cookies, any `password`
    /// field of a form body and the password fields of a JSON body.
    pub async fn note_request(&self, request: Request<Body>) -> Request<Body> {
        let (parts, body) = request.into_parts();
        if let Some(auth) = header_text(&parts.headers, header::AUTHORIZATION) {
            self.note_authorization(&auth);
        }
        for cookie in parts.headers.get_all(header::COOKIE) {
            for pair in cookie.to_str().unwrap_or("").split(';') {
                self.note(pair.split_once('=').map_or(pair, |(_, v)| v));
            }
        }
        let bytes = body
            .collect()
            .await
            .map(|b| b.to_bytes())
            .unwrap_or_default();
        for pair in String::from_utf8_lossy(&bytes).split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            // The decoded value: its forms include the one it was sent in, and a value too
            // short to be a secret stays one however long its encoding.
            if is_password_field(&encodings::form_decode(key)) {
                self.note(&encodings::form_decode(value));
            }
            // An identity provider's client secret is stored as it is (to send it back to
            // the provider): looked for in the logs only.
            // (A real one is long and not a number: what a fuzzer sends as a secret may
            // be a few digits any log line holds.)
            let value = encodings::form_decode(value);
            let like_a_secret = value.len() >= 16 && !value.chars().all(|c| c.is_ascii_digit());
            if encodings::form_decode(key) == "client_secret" && like_a_secret {
                self.note_never_logged(&value);
            }
        }
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            self.note_password_fields(&json);
            // Secrets reported exposed: never logged or stored, whatever they are.
            if parts.uri.path().starts_with("/secret-scanning/") {
                self.note_reported(&json);
            }
        }
        Request::from_parts(parts, Body::from(bytes))
    }

    /// Notes the passwords of a JSON body (**Change password** sends three; **Add user**
    /// and **Reset password** answer with one).
    fn note_password_fields(&self, value: &serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        serde_json::Value::String(s) if is_password_field(key) => self.note(s),
                        _ => self.note_password_fields(value),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|v| self.note_password_fields(v))
            }
            _ => {}
        }
    }

    /// Notes the secrets of a secret-scanning report: each string of the array, and each
    /// object's `token`, that is an Auth Token (junk reported is no secret, and may well be
    /// in a log line for other reasons).
    fn note_reported(&self, value: &serde_json::Value) {
        for item in value.as_array().into_iter().flatten() {
            let secret = match item {
                serde_json::Value::String(secret) => Some(secret.as_str()),
                serde_json::Value::Object(found) => found.get("token").and_then(|t| t.as_str()),
                _ => None,
            };
            if let Some(secret) = secret.filter(|s| app::domain::TokenSecret::parse(s).is_ok()) {
                self.note(secret);
            }
        }
    }

    fn note_authorization(&self, value: &str) {
        use base64::Engine;
        if let Some(encoded) = value.strip_prefix("Basic ") {
            self.note(encoded);
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .unwrap_or_default();
            let decoded = String::from_utf8_lossy(&decoded).into_owned();
            if let Some((_, password)) = decoded.split_once(':') {
                self.note(password);
            }
        } else if let Some(key) = value.strip_prefix("Bearer ") {
            self.note(key);
        }
    }

    /// Notes the secrets a response issues: cookies, `tsm_…` secrets and temporary
    /// passwords.
    pub fn note_reply(&self, headers: &HeaderMap, body: &str) {
        for cookie in headers.get_all(header::SET_COOKIE) {
            let pair = cookie
                .to_str()
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("");
            if let Some((_, value)) = pair.split_once('=') {
                self.note(value);
            }
        }
        for secret in issued_secrets(body) {
            self.note(&secret);
        }
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(body) {
            self.note_password_fields(&json);
            self.note_factors(&json);
            self.note_signing_secret(&json);
        }
    }

    /// Notes an authenticator key shown for set-up (stored as it is, so looked for in the
    /// logs only), recovery codes shown once (with an app, or a first passkey: stored hashed,
    /// looked for everywhere, with and without their hyphen) and passkey ceremonies' ids.
    fn note_factors(&self, json: &serde_json::Value) {
        if let Some(key) = json.get("manual_key").and_then(|k| k.as_str()) {
            let key = key.replace(' ', "");
            let mut never = self.logged_never.lock().unwrap_or_else(|e| e.into_inner());
            never.insert(key.clone());
            never.insert(key.to_ascii_lowercase());
        }
        // A passkey ceremony's id (stored as its SHA-256 only, like a session's).
        if let Some(challenge) = json.get("challenge").and_then(|c| c.as_str()) {
            self.note(challenge);
        }
        let codes = ["codes", "recovery_codes"]
            .into_iter()
            .filter_map(|field| json.get(field).and_then(|c| c.as_array()));
        for code in codes.flatten() {
            let code = code.as_str().unwrap_or_default();
            self.note(code);
            self.note(&code.replace('-', ""));
        }
    }

    /// Notes a webhook signing secret shown once (`whsec_…`): kept as it is to sign with,
    /// so looked for in the logs only, whole and as its key alone.
    fn note_signing_secret(&self, json: &serde_json::Value) {
        let secret = json
            .get("secret")
            .and_then(|s| s.as_str())
            .unwrap_or_default();
        if let Some(key) = secret.strip_prefix("whsec_") {
            self.note_never_logged(secret);
            self.note_never_logged(key);
        }
    }

    /// Remembers `value` as a secret the database keeps but no log may show.
    pub fn note_never_logged(&self, value: &str) {
        if value.len() >= 8 {
            let mut never = self.logged_never.lock().unwrap_or_else(|e| e.into_inner());
            never.insert(value.to_string());
        }
    }

    /// Where any secret noted so far is found.
    pub fn scan(&self) -> Vec<String> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let mut found = self.scan_for(seen.iter());
        let never = self
            .logged_never
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let logs = {
            let all = LOGS.lock().unwrap_or_else(|e| e.into_inner());
            all.get(self.log_start..).unwrap_or_default().to_vec()
        };
        let needles: Vec<_> = never
            .iter()
            .map(|k| (k.clone(), k.clone().into_bytes()))
            .collect();
        for (key, bytes) in needles {
            if logs.windows(bytes.len()).any(|w| w == bytes.as_slice()) {
                found.push(format!("never-logged secret {key:?} in the logs"));
            }
        }
        found
    }

    /// Where any of `secrets` is found, in any of its forms (whether noted or not).
    pub fn scan_for<'a>(&self, secrets: impl Iterator<Item = &'a String>) -> Vec<String> {
        let needles: Vec<(String, encodings::Form)> = secrets
            .flat_map(|secret| {
                encodings::forms(secret)
                    .into_iter()
                    .map(move |form| (secret.clone(), form))
            })
            .filter(|(_, form)| form.bytes.len() >= SHORTEST)
            .collect();
        let logs = {
            let all = LOGS.lock().unwrap_or_else(|e| e.into_inner());
            all.get(self.log_start..).unwrap_or_default().to_vec()
        };
        let mut places = vec![("the logs", logs)];
        places.extend(self.database.contents());
        let mut found = Vec::new();
        for (place, bytes) in &places {
            for (secret, form) in find_any(bytes, &needles) {
                found.push(format!("{secret:?} {form} in {place}"));
            }
        }
        found
    }
}

impl Drop for Secrets {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let found = self.scan();
        assert!(found.is_empty(), "secrets leaked: {found:?}");
    }
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Every `tsm_` followed by 36 base62 characters in `text`.
fn issued_secrets(text: &str) -> Vec<String> {
    let mut secrets = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("tsm_") {
        let candidate: String = rest[at..]
            .chars()
            .take(40)
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if candidate.len() == 40 {
            secrets.push(candidate);
        }
        rest = &rest[at + 4..];
    }
    secrets
}

/// Whether a form or JSON field by this name holds a password: `password`, the three of
/// **Change password**, or any of them as the last part of a nested name (`change[new]`).
fn is_password_field(name: &str) -> bool {
    let last = name
        .rsplit('[')
        .next()
        .unwrap_or(name)
        .trim_end_matches(']');
    matches!(last, "password" | "current" | "new" | "confirm" | "code")
}

/// The needles that occur in `haystack`, in one pass: positions are matched on their
/// first `SHORTEST` bytes, then compared in full. Each as (secret, the form's name).
fn find_any<'a>(
    haystack: &[u8],
    needles: &'a [(String, encodings::Form)],
) -> BTreeSet<(&'a str, &'static str)> {
    let prefixes: HashSet<&[u8]> = needles
        .iter()
        .map(|(_, form)| &form.bytes[..SHORTEST])
        .collect();
    let mut found = BTreeSet::new();
    for (at, window) in haystack.windows(SHORTEST).enumerate() {
        if !prefixes.contains(window) {
            continue;
        }
        for (secret, form) in needles {
            if haystack[at..].starts_with(&form.bytes) {
                found.insert((secret.as_str(), form.name));
            }
        }
    }
    found
}

#[test]
fn the_scan_finds_what_it_looks_for() {
    let secret = "tsm_abcdefghijklmnopqrstuvwxyz0123456789".to_string();
    let issued = issued_secrets(&format!("{{\"secret\":\"{secret}\"}}"));
    assert_eq!(issued, std::slice::from_ref(&secret));
    let needles: Vec<_> = encodings::forms(&secret)
        .into_iter()
        .map(|form| (secret.clone(), form))
        .collect();
    let haystack = format!("log line with {secret} inside");
    let found: Vec<_> = find_any(haystack.as_bytes(), &needles)
        .into_iter()
        .collect();
    assert_eq!(found, [(secret.as_str(), "as it is")]);
    assert!(find_any(b"nothing here at all", &needles).is_empty());
    assert!(is_password_field("change[confirm]") && is_password_field("password"));
    assert!(!is_password_field("email") && !is_password_field("newsletter"));
}

#[test]
fn a_logged_secret_fails_the_scan_in_any_form() {
    use base64::Engine;
    let leaked = "a careless passphrase 42";
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("SID1:{leaked}"));
    for (line, form) in [
        (format!("Authorization: Basic {basic}"), "base64"),
        (
            "body password=a+careless+passphrase+42".to_string(),
            "form-encoded",
        ),
        (format!("{leaked:?}").replace(' ', "%20"), "URL-encoded"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Secrets::new(Database::File(dir.path().join("absent.db")));
        secrets.note(leaked);
        tracing::warn!("a careless line with {line}");
        assert_eq!(secrets.scan(), [format!("{leaked:?} {form} in the logs")]);
        secrets.seen.lock().unwrap().clear();
    }
}

#[test]
fn a_provider_secret_is_looked_for_in_the_logs_only() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Secrets::new(Database::File(dir.path().join("absent.db")));
    let secret = "oidc-secret-that-must-not-be-logged";
    secrets.note_never_logged(secret);
    tracing::warn!("exchanging the code with client_secret={secret}");
    assert_eq!(
        secrets.scan(),
        [format!("never-logged secret {secret:?} in the logs")]
    );
    secrets.logged_never.lock().unwrap().clear();
}

#[tokio::test]
async fn a_secret_written_to_the_database_is_found_on_either_engine() {
    use app::ssr::db::engine::query;
    let app = super::harness::TestApp::new().await;
    let planted = "tsm_plantedABCDEFGHIJKLMNOPQRSTUVWXYZ0";
    query("UPDATE accounts SET name = $1")
        .bind(planted)
        .execute(&app.pool)
        .await
        .unwrap();
    let found = app.found_without_noting(planted);
    assert!(
        found
            .iter()
            .any(|place| place.contains("the database") || place.contains("the WAL")),
        "{found:?}"
    );
    // As bytes: SQLite keeps them as they are, pg_dump shows them as hex.
    app.sign_in(super::harness::ADMIN).await;
    let bytes = "tsm_asBytesABCDEFGHIJKLMNOPQRSTUVWXYZ0";
    query("UPDATE sessions SET id_hash = $1")
        .bind(bytes.as_bytes())
        .execute(&app.pool)
        .await
        .unwrap();
    let found = app.found_without_noting(bytes);
    let form = match app.pool {
        app::ssr::db::Db::Sqlite(..) => "as it is",
        app::ssr::db::Db::Postgres(..) => "hex",
    };
    assert!(
        found.iter().any(|place| place.contains(form)),
        "{form}: {found:?}"
    );
}

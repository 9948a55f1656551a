//! Every statement the code sends through `query(...)`, prepared on this run's engine (the
//! suite runs once on SQLite and once on PostgreSQL): a misspelt column, a function one
//! engine lacks or a placeholder PostgreSQL can't type fails here, not in the one request
//! that happens to run it.
//!
//! The statements are read from the source, as written. The few built at run time
//! (`query(format!(…))`, `query(sql)`) are listed in [`BUILT_AT_RUN_TIME`]: a new one fails
//! this test until it is listed, and each of them runs in the router tests on both engines.

use super::harness::TestApp;
use app::ssr::db::Db;
use std::path::{Path, PathBuf};

/// Files with statements built at run time, and how many each has.
const BUILT_AT_RUN_TIME: &[(&str, usize)] = &[
    ("app/src/ssr/db/activity.rs", 1),
    ("app/src/ssr/db/expiry_warnings.rs", 2),
    ("app/src/ssr/db/holder_revocation.rs", 1),
    ("app/src/ssr/db/mail_cap.rs", 1),
    ("app/src/ssr/db/throttling.rs", 1),
    ("app/src/ssr/db/token_auth.rs", 1),
    ("app/src/ssr/db/token_requests.rs", 2),
    ("app/src/ssr/db/token_requests/decisions.rs", 1),
    ("app/src/ssr/db/tokens.rs", 1),
    ("app/src/ssr/db/tokens/list.rs", 2),
    ("app/src/ssr/db/users.rs", 2),
    ("app/src/ssr/db/webhooks.rs", 2),
];

/// A `query(` call of the source: its statement when it is a literal.
struct Call {
    file: String,
    line: usize,
    literal: Option<String>,
}

#[tokio::test]
async fn every_statement_prepares_on_this_engine() {
    let app = TestApp::new().await;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut calls = Vec::new();
    for dir in ["app/src/ssr", "server/src"] {
        for file in rust_files(&root.join(dir)) {
            let text = std::fs::read_to_string(&file).unwrap();
            let name = file.strip_prefix(&root).unwrap().display().to_string();
            calls.extend(query_calls(&name, &text));
        }
    }
    let literal: Vec<&Call> = calls.iter().filter(|c| c.literal.is_some()).collect();
    assert!(
        literal.len() > 80,
        "only {} statements found",
        literal.len()
    );
    let mut failures = Vec::new();
    for call in &literal {
        let sql = call.literal.as_deref().unwrap();
        if let Err(error) = prepare(&app.pool, sql).await {
            failures.push(format!("{}:{}: {error}\n  {sql}", call.file, call.line));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    let mut built: Vec<(String, usize)> = Vec::new();
    for call in calls.iter().filter(|c| c.literal.is_none()) {
        match built.iter_mut().find(|(file, _)| *file == call.file) {
            Some((_, count)) => *count += 1,
            None => built.push((call.file.clone(), 1)),
        }
    }
    built.sort();
    let listed: Vec<(String, usize)> = BUILT_AT_RUN_TIME
        .iter()
        .map(|(file, count)| (file.to_string(), *count))
        .collect();
    assert_eq!(built, listed, "statements built at run time");
}

async fn prepare(db: &Db, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    match db {
        Db::Sqlite(db, _) => db.pool.prepare(sql).await.map(drop),
        Db::Postgres(pool, _) => pool.prepare(sql).await.map(drop),
    }
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Every call of the two-engine `query` in `text` (not `sqlx::query`, not its definition,
/// not in comments), with its statement when the argument is a string literal.
fn query_calls(file: &str, text: &str) -> Vec<Call> {
    let mut calls = Vec::new();
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text[from..].find("query(") {
        let at = from + found;
        from = at + "query(".len();
        let before = &text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let before_on_line = &text[line_start..at];
        // `query(` or a path to it (`engine::query(`), not `sqlx::query(`, a method
        // `.query(`, another name ending in `query`, its definition or a comment.
        let called = !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !before.ends_with("sqlx::")
            && !before_on_line.trim_start().starts_with("//")
            && !before_on_line.trim_end().ends_with("fn");
        if !called {
            continue;
        }
        let rest = text[from..].trim_start();
        let start = bytes.len() - rest.len();
        calls.push(Call {
            file: file.to_string(),
            line: before.matches('\n').count() + 1,
            literal: string_literal(&text[start..]),
        });
    }
    calls
}

/// The value of the Rust string literal `text` starts with (plain or raw).
fn string_literal(text: &str) -> Option<String> {
    if let Some(raw) = text.strip_prefix('r') {
        let hashes = raw.len() - raw.trim_start_matches('#').len();
        let body = raw[hashes..].strip_prefix('"')?;
        let end = body.find(&format!("\"{}", "#".repeat(hashes)))?;
        return Some(body[..end].to_string());
    }
    let mut chars = text.strip_prefix('"')?.chars().peekable();
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                '\\' => value.push('\\'),
                '"' => value.push('"'),
                '\'' => value.push('\''),
                '\n' | '\r' => {
                    while chars.peek().is_some_and(|c| c.is_whitespace()) {
                        chars.next();
                    }
                }
                other => panic!("escape \\{other} in a statement"),
            },
            c => value.push(c),
        }
    }
    None
}

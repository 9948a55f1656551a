//! Write detection: change-counting triggers on every table, and the fingerprint they
//! give of what committed requests changed.

use crate::harness::TestApp;

/// Columns whose changes are not state a request may be refused over: "last used" is
/// written in the background by design, and a session's use is recorded (at most once a
/// minute) by whatever request it makes, a GET too.
const UNWATCHED_COLUMNS: [(&str, &str); 2] =
    [("tokens", "last_used_at"), ("sessions", "last_seen_at")];

/// Tables a token's calls write by design, safe methods too: the sandbox leases a share of
/// a token's quota window for this instance (`quota_leases`, `quota_windows`) when a call
/// of a token with a quota finds its share spent, as it records "last used".
const METERED_TABLES: [&str; 2] = ["quota_leases", "quota_windows"];

/// Rows a refused request writes on purpose: the audit event of a throttled sign-in
/// (answered 429), and of a wrong code after the right password (401).
const RECORDS_OF_REFUSALS: [(&str, &str); 2] = [
    ("audit_events", "NEW.action = 'sign_in_throttled'"),
    ("audit_events", "NEW.action = 'second_factor_failed'"),
];

/// Rows that record a change to the writer's own sessions, password or second factors
/// (any signed-in user may make one: **Sign out everywhere**, **Change password**,
/// **Security**), and the mail that tells them: counted as changes of `sessions`, not of
/// the account.
const RECORDS_OF_OWN_SESSIONS: [(&str, &str); 9] = [
    ("audit_events", "NEW.action = 'signed_out_everywhere'"),
    ("audit_events", "NEW.action = 'password_changed'"),
    ("audit_events", "NEW.action = 'second_factor_added'"),
    ("audit_events", "NEW.action = 'second_factor_removed'"),
    ("audit_events", "NEW.action = 'recovery_code_used'"),
    ("audit_events", "NEW.action = 'recovery_codes_regenerated'"),
    ("audit_events", "NEW.action = 'passkey_added'"),
    ("audit_events", "NEW.action = 'passkey_removed'"),
    ("notifications", "NEW.token_id IS NULL"),
];

/// Columns a user changes for themselves (**Change password**, which also ends a temporary
/// password; signing in, which records when): counted as changes of `sessions` too.
const OWN_COLUMNS: [(&str, &str); 3] = [
    ("users", "password_hash"),
    ("users", "must_change_password"),
    ("users", "last_sign_in_at"),
];

/// Tables a sign-in or the user themselves write for the user (the browser's device
/// cookie, a sign-in waiting for its code, their authenticator app, passkeys and recovery
/// codes, a passkey ceremony waiting for its answer, a single sign-on waiting for the
/// provider, the provider's identity linked to the user): counted as changes of `sessions`,
/// like the session itself.
const SESSION_TABLES: [&str; 8] = [
    "sign_in_devices",
    "pending_sign_ins",
    "totp_factors",
    "recovery_codes",
    "passkeys",
    "passkey_challenges",
    "sso_logins",
    "sso_identities",
];

/// Installs a change counter per table: triggers after every insert, delete and real
/// update (a column's value changed) of every table the app has. A write that is rolled
/// back takes its count with it, so the counters say exactly which tables a committed
/// request changed. Tables added by later migrations are watched too.
pub async fn watch_changes(pool: &sqlx::SqlitePool) {
    sqlx::query("CREATE TABLE fuzz_changes (tbl TEXT PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0)")
        .execute(pool)
        .await
        .unwrap();
    let mut tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' AND name != 'fuzz_changes'
         ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    tables.retain(|table| !METERED_TABLES.contains(&table.as_str()));
    for table in &tables {
        let columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
                .bind(table)
                .fetch_all(pool)
                .await
                .unwrap();
        let changed: Vec<String> = columns
            .iter()
            .filter(|c| {
                let column = (table.as_str(), c.as_str());
                !UNWATCHED_COLUMNS.contains(&column) && !OWN_COLUMNS.contains(&column)
            })
            .map(|c| format!("OLD.\"{c}\" IS NOT NEW.\"{c}\""))
            .collect();
        let bucket = if SESSION_TABLES.contains(&table.as_str()) {
            "sessions"
        } else {
            table.as_str()
        };
        let count = format!("BEGIN UPDATE fuzz_changes SET n = n + 1 WHERE tbl = '{bucket}'; END");
        let own_records: Vec<String> = RECORDS_OF_OWN_SESSIONS
            .iter()
            .filter(|(t, _)| t == table)
            .map(|(_, own)| format!("({own})"))
            .collect();
        let own_sessions = (!own_records.is_empty()).then(|| own_records.join(" OR "));
        let not_counted: Vec<String> = RECORDS_OF_REFUSALS
            .iter()
            .filter(|(t, _)| t == table)
            .map(|(_, refusal)| *refusal)
            .map(|condition| format!("({condition})"))
            .chain(own_sessions.clone())
            .collect();
        let mut statements = vec![
            format!("INSERT INTO fuzz_changes (tbl) VALUES ('{table}')"),
            format!(
                "CREATE TRIGGER \"fuzz_ins_{table}\" AFTER INSERT ON \"{table}\" {} {count}",
                if not_counted.is_empty() {
                    String::new()
                } else {
                    format!("WHEN NOT ({})", not_counted.join(" OR "))
                }
            ),
            format!("CREATE TRIGGER \"fuzz_del_{table}\" AFTER DELETE ON \"{table}\" {count}"),
            format!(
                "CREATE TRIGGER \"fuzz_upd_{table}\" AFTER UPDATE ON \"{table}\" WHEN {} {count}",
                changed.join(" OR ")
            ),
        ];
        let count_as_own = "BEGIN UPDATE fuzz_changes SET n = n + 1 WHERE tbl = 'sessions'; END";
        if let Some(own) = own_sessions {
            statements.push(format!(
                "CREATE TRIGGER \"fuzz_own_{table}\" AFTER INSERT ON \"{table}\" WHEN {own} \
                 {count_as_own}"
            ));
        }
        for (_, column) in OWN_COLUMNS.iter().filter(|(t, _)| t == table) {
            statements.push(format!(
                "CREATE TRIGGER \"fuzz_own_{table}_{column}\" AFTER UPDATE ON \"{table}\" \
                 WHEN OLD.\"{column}\" IS NOT NEW.\"{column}\" {count_as_own}"
            ));
        }
        for statement in statements {
            sqlx::query(&statement).execute(pool).await.unwrap();
        }
    }
}

/// What committed requests have changed so far: `(every table but sessions, sessions)`,
/// each as `table=count …`.
pub async fn fingerprint(app: &TestApp) -> (String, String) {
    let rows: Vec<(String, i64)> = sqlx::query_as("SELECT tbl, n FROM fuzz_changes ORDER BY tbl")
        .fetch_all(app.sqlite())
        .await
        .unwrap();
    let (sessions, core): (Vec<_>, Vec<_>) = rows.iter().partition(|(t, _)| t == "sessions");
    let text = |rows: Vec<&(String, i64)>| {
        rows.iter()
            .map(|(t, n)| format!("{t}={n}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    (text(core), text(sessions))
}

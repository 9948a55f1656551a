//! The outbox delivered over SMTP to a real server (Python's aiosmtpd, started here), the
//! worker woken by a change, and retries that end in "failed".

use super::harness::{TestApp, ADMIN};
use app::ssr::now;
use serde_json::{json, Value};
use server::mailer::{self, MailSettings, Mailer, MAX_ATTEMPTS};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The SMTP sink, stopped when dropped.
struct Sink {
    child: Child,
    port: u16,
    file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Sink {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mail.jsonl");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(&file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs (scripts/test installs aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("SMTP sink did not start (is aiosmtpd installed?): {line:?}"))
            .parse()
            .unwrap();
        Self {
            child,
            port,
            file,
            _dir: dir,
        }
    }

    fn settings(&self) -> MailSettings {
        MailSettings::parse(
            &format!("smtp://127.0.0.1:{}", self.port),
            "Tokensmith <tokensmith@localhost>",
        )
        .unwrap()
    }

    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn states(app: &TestApp) -> Vec<(String, String, i64)> {
    sqlx::query_as("SELECT recipient, state, attempts FROM notifications ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn delivers_the_outbox_through_a_real_smtp_server() {
    let sink = Sink::start();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;

    let mailer = Mailer::new(&sink.settings());
    let pass = mailer.deliver_due(&app.pool, now()).await.unwrap();
    assert_eq!((pass.sent, pass.failed), (2, 0));
    let received = sink.received();
    let to: Vec<&str> = received
        .iter()
        .map(|m| m["to"][0].as_str().unwrap())
        .collect();
    assert_eq!(to, ["admin@acme.test", "dev@partner.test"]);
    let data = received[0]["data"].as_str().unwrap();
    assert!(
        data.contains("Subject: API access token \"Feed sync\": created"),
        "{data}"
    );
    assert!(data.contains(&token.sid));
    assert!(!data.contains(&token.secret));
    assert_eq!(received[0]["from"], "tokensmith@localhost");
    assert!(states(&app)
        .await
        .iter()
        .all(|(_, state, _)| state == "sent"));
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert!(detail["outbox"][0]["status"]
        .as_str()
        .unwrap()
        .starts_with("Sent "));

    // The worker delivers what a change queues, woken by the change itself.
    let worker = mailer::spawn(
        app.pool.clone(),
        Mailer::new(&sink.settings()),
        app.outbox.clone(),
    );
    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "SetEnabled": { "enabled": false } }),
        )
        .await;
    assert_eq!(reply.status, http::StatusCode::OK);
    let mut delivered = 0;
    for _ in 0..100 {
        delivered = sink.received().len();
        if delivered == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    worker.abort();
    assert_eq!(delivered, 4);
    let subjects: Vec<String> = sink
        .received()
        .iter()
        .map(|m| m["data"].as_str().unwrap().to_string())
        .collect();
    assert!(subjects[3].contains("Subject: API access token \"Feed sync\": disabled"));
}

#[tokio::test]
async fn undeliverable_mail_is_retried_then_marked_failed() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings =
        MailSettings::parse(&format!("smtp://127.0.0.1:{port}"), "tokensmith@localhost").unwrap();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let mailer = Mailer::new(&settings);
    let start = now();
    let first = mailer.deliver_due(&app.pool, start).await.unwrap();
    assert_eq!((first.sent, first.failed), (0, 2));
    assert!(states(&app)
        .await
        .iter()
        .all(|(_, s, n)| s == "queued" && *n == 1));
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert!(
        detail["outbox"][0]["status"]
            .as_str()
            .unwrap()
            .starts_with("Queued, retrying (1 attempts)"),
        "{}",
        detail["outbox"][0]["status"]
    );
    // Not due again until the back-off has passed.
    let early = mailer.deliver_due(&app.pool, start + 1).await.unwrap();
    assert_eq!((early.sent, early.failed), (0, 0));
    let mut at = start;
    for _ in 1..MAX_ATTEMPTS {
        at += 3600;
        mailer.deliver_due(&app.pool, at).await.unwrap();
    }
    assert!(states(&app)
        .await
        .iter()
        .all(|(_, s, n)| s == "failed" && *n == MAX_ATTEMPTS));
    let detail: Value = serde_json::from_str(&app.detail(&cookie, &token.sid).await.body).unwrap();
    assert!(detail["outbox"][0]["status"]
        .as_str()
        .unwrap()
        .starts_with(&format!("Failed after {MAX_ATTEMPTS} attempts")));
    // Nothing more is tried.
    let after = mailer.deliver_due(&app.pool, at + 86_400).await.unwrap();
    assert_eq!((after.sent, after.failed), (0, 0));
}

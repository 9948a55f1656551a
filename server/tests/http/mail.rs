//! The outbox delivered over SMTP to a real server (Python's aiosmtpd, started here), the
//! worker woken by a change, retries that end in "failed", deliveries never repeated, one
//! Message-ID per message, mail too old to send, and a worker told to stop.

use super::harness::{TestApp, ADMIN};
use super::smtp_sink::Sink;
use app::ssr::db::engine::{query, Engine};
use app::ssr::now;
use serde_json::{json, Value};
use server::workers::mailer::{self, MailSettings, Mailer, Pass, CLAIM_TIMEOUT, MAX_ATTEMPTS};
use std::time::Duration;
use tokio::sync::watch;

async fn states(app: &TestApp) -> Vec<(String, String, i64)> {
    query("SELECT recipient, state, attempts FROM notifications ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

async fn message_ids(app: &TestApp) -> Vec<String> {
    query("SELECT message_id FROM notifications ORDER BY id")
        .scalars(&app.pool)
        .await
        .unwrap()
}

/// Settings for a port nobody listens on.
fn unreachable() -> MailSettings {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    MailSettings::parse(
        &format!("smtp://127.0.0.1:{port}?tls=none"),
        "tokensmith@localhost",
    )
    .unwrap()
}

/// Makes every update that records a message as sent fail (`on`), as a full disk would,
/// or stops doing so.
async fn disk_gone(app: &TestApp, on: bool) {
    let statements: &[&str] = match (app.pool.engine(), on) {
        (Engine::Sqlite, true) => &["CREATE TRIGGER disk_gone BEFORE UPDATE ON notifications
             WHEN NEW.state = 'sent' BEGIN SELECT RAISE(ABORT, 'disk gone'); END"],
        (Engine::Sqlite, false) => &["DROP TRIGGER disk_gone"],
        (Engine::Postgres, true) => &[
            "CREATE FUNCTION disk_gone() RETURNS trigger LANGUAGE plpgsql AS
             $$ BEGIN RAISE EXCEPTION 'disk gone'; END $$",
            "CREATE TRIGGER disk_gone BEFORE UPDATE ON notifications FOR EACH ROW
             WHEN (NEW.state = 'sent') EXECUTE FUNCTION disk_gone()",
        ],
        (Engine::Postgres, false) => &["DROP TRIGGER disk_gone ON notifications"],
    };
    for sql in statements {
        exec(app, sql, &[]).await;
    }
}

/// Runs `sql` on the test database, binding `args` in order.
async fn exec(app: &TestApp, sql: &str, args: &[i64]) {
    args.iter()
        .fold(query(sql.to_string()), |query, arg| query.bind(*arg))
        .execute(&app.pool)
        .await
        .unwrap();
}

/// The detail page's status for the message to `recipient`.
async fn status_for(app: &TestApp, cookie: &str, sid: &str, recipient: &str) -> String {
    let detail: Value = serde_json::from_str(&app.detail(cookie, sid).await.body).unwrap();
    let entry = detail["outbox"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["recipient"] == recipient)
        .unwrap_or_else(|| panic!("no message to {recipient}: {detail}"));
    entry["status"].as_str().unwrap().to_string()
}

/// Waits up to 10 s for `done`.
async fn eventually(app: &TestApp, done: impl Fn(&[(String, String, i64)]) -> bool) {
    for _ in 0..1000 {
        if done(&states(app).await) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("never happened: {:?}", states(app).await);
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

    // The worker delivers what a change queues, woken by the change itself: it would not
    // look again on its own for an hour.
    let worker = mailer::spawn_polling(
        app.pool.clone(),
        Mailer::new(&sink.settings()),
        app.outbox.clone(),
        Duration::from_secs(3600),
    );
    // Its first pass finds nothing due (a few milliseconds; were it slower, a broken
    // wake-up could hide behind it, never the other way round).
    while !app.outbox.worker_alive(now(), 60) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
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
    let settings = unreachable();
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

#[tokio::test]
async fn a_delivery_that_cannot_be_recorded_is_recorded_later_never_sent_again() {
    let sink = Sink::start();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    app.make_token(&cookie, "Feed sync").await;
    disk_gone(&app, true).await;
    let mailer = Mailer::new(&sink.settings());
    let start = now();

    let error = mailer.deliver_due(&app.pool, start).await.unwrap_err();
    assert!(error.contains("not sent again"), "{error}");
    assert_eq!(sink.each("to"), ["admin@acme.test"]);
    // Later passes, even once the claim is old, send nothing while it can't be recorded.
    for at in [
        start + 1,
        start + 60,
        start + CLAIM_TIMEOUT + 1,
        start + 3600,
    ] {
        assert!(mailer.deliver_due(&app.pool, at).await.is_err());
    }
    assert_eq!(sink.each("to"), ["admin@acme.test"]);
    assert_eq!(
        states(&app).await[0],
        ("admin@acme.test".into(), "sending".into(), 1)
    );

    disk_gone(&app, false).await;
    let pass = mailer.deliver_due(&app.pool, start + 3601).await.unwrap();
    assert_eq!(
        (pass.sent, pass.failed),
        (1, 0),
        "only the other message is sent"
    );
    assert_eq!(sink.each("to"), ["admin@acme.test", "dev@partner.test"]);
    assert!(states(&app)
        .await
        .iter()
        .all(|(_, s, n)| s == "sent" && *n == 1));
    let sent_at: i64 = query("SELECT sent_at FROM notifications ORDER BY id")
        .scalar(&app.pool)
        .await
        .unwrap();
    assert_eq!(sent_at, start, "recorded as sent when it was sent");
}

#[tokio::test]
async fn every_message_keeps_one_message_id_across_attempts() {
    let sink = Sink::start();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    app.make_token(&cookie, "Feed sync").await;
    let start = now();

    let refused = Mailer::new(&unreachable())
        .deliver_due(&app.pool, start)
        .await
        .unwrap();
    assert_eq!((refused.sent, refused.failed), (0, 2));
    let stored = message_ids(&app).await;
    assert!(
        stored
            .iter()
            .all(|id| id.starts_with("<notification.") && id.ends_with("@localhost>")),
        "{stored:?}"
    );
    assert_ne!(stored[0], stored[1]);

    let mailer = Mailer::new(&sink.settings());
    let pass = mailer.deliver_due(&app.pool, start + 3600).await.unwrap();
    assert_eq!(pass.sent, 2);
    assert_eq!(sink.each("message_id"), stored);
    assert_eq!(message_ids(&app).await, stored);

    // A worker that died between sending and recording left its claim behind: the message
    // is sent again only once the claim is CLAIM_TIMEOUT old, under the same Message-ID.
    let claimed = start + 3600;
    exec(
        &app,
        "UPDATE notifications SET state = 'sending', claimed_at = $1
         WHERE id = (SELECT min(id) FROM notifications)",
        &[claimed],
    )
    .await;
    let early = mailer
        .deliver_due(&app.pool, claimed + CLAIM_TIMEOUT - 1)
        .await
        .unwrap();
    assert_eq!(early, Pass::default());
    let late = mailer
        .deliver_due(&app.pool, claimed + CLAIM_TIMEOUT)
        .await
        .unwrap();
    assert_eq!(late.sent, 1);
    assert_eq!(sink.each("message_id")[2], stored[0]);
    assert_eq!(states(&app).await[0].1, "sent");
}

#[tokio::test]
async fn mail_too_old_at_its_first_attempt_expires_instead_of_being_sent() {
    let sink = Sink::start();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    let token = app.make_token(&cookie, "Feed sync").await;
    let start = now();
    let age = "UPDATE notifications SET created_at = $1 WHERE recipient = $2";
    query(age)
        .bind(start - 25 * 3600)
        .bind(ADMIN)
        .execute(&app.pool)
        .await
        .unwrap();
    query(age)
        .bind(start - 3600)
        .bind("dev@partner.test")
        .execute(&app.pool)
        .await
        .unwrap();

    let mailer = Mailer::new(&sink.settings());
    let pass = mailer.deliver_due(&app.pool, start).await.unwrap();
    assert_eq!((pass.sent, pass.failed, pass.expired), (1, 0, 1));
    assert_eq!(sink.each("to"), ["dev@partner.test"]);
    assert_eq!(
        states(&app).await,
        [
            (ADMIN.to_string(), "expired".to_string(), 0),
            ("dev@partner.test".to_string(), "sent".to_string(), 1)
        ]
    );
    assert_eq!(
        status_for(&app, &cookie, &token.sid, ADMIN).await,
        "Expired: queued 25 hours before a mail server could deliver it"
    );
    assert!(status_for(&app, &cookie, &token.sid, "dev@partner.test")
        .await
        .starts_with("Sent "));
    // Never tried again.
    let later = mailer.deliver_due(&app.pool, start + 86_400).await.unwrap();
    assert_eq!(later, Pass::default());
    assert_eq!(sink.received().len(), 1);

    // The age is configurable.
    let reply = app
        .change(
            &cookie,
            &token.sid,
            json!({ "SetEnabled": { "enabled": false } }),
        )
        .await;
    assert_eq!(reply.status, http::StatusCode::OK);
    exec(
        &app,
        "UPDATE notifications SET created_at = $1 WHERE state = 'queued'",
        &[start - 3600],
    )
    .await;
    let strict = Mailer::new(&sink.settings().with_max_age(Duration::from_secs(1800)));
    let pass = strict.deliver_due(&app.pool, start).await.unwrap();
    assert_eq!((pass.sent, pass.expired), (0, 2));
    assert_eq!(sink.received().len(), 1);
}

#[tokio::test]
async fn a_stopped_worker_finishes_its_message_and_starts_no_other() {
    let sink = Sink::taking(Duration::from_secs(1));
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    app.make_token(&cookie, "Feed sync").await;

    let (stop, shutdown) = watch::channel(false);
    let worker = mailer::spawn_until(
        app.pool.clone(),
        Mailer::new(&sink.settings()),
        app.outbox.clone(),
        shutdown,
    );
    eventually(&app, |rows| rows[0].1 == "sending").await;
    stop.send(true).unwrap();
    // The sink takes 1 s per message: the worker finishes this one, records it, and stops.
    tokio::time::timeout(Duration::from_secs(5), worker)
        .await
        .expect("the worker stops once its message is sent")
        .unwrap();
    assert_eq!(sink.each("to"), ["admin@acme.test"]);
    assert_eq!(
        states(&app).await,
        [
            (ADMIN.to_string(), "sent".to_string(), 1),
            ("dev@partner.test".to_string(), "queued".to_string(), 0)
        ]
    );

    // An idle worker stops at once.
    let (stop, shutdown) = watch::channel(false);
    let worker = mailer::spawn_until(
        app.pool.clone(),
        Mailer::new(&sink.settings()),
        app.outbox.clone(),
        shutdown,
    );
    eventually(&app, |rows| rows.iter().all(|(_, s, _)| s == "sent")).await;
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(1), worker)
        .await
        .expect("an idle worker stops at once")
        .unwrap();
    assert_eq!(sink.each("to"), ["admin@acme.test", "dev@partner.test"]);
}

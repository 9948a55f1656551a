//! Mail to a token's developer emails is capped: three changes an hour per token reach
//! them, later ones are held back (and shown so in the outbox), then summarised in one
//! message once the hour has room; replacing the addresses buys no new messages.

use super::harness::{TestApp, ADMIN};
use super::smtp_sink::Sink;
use app::ssr::db::engine::query;
use app::ssr::db::held_mail;
use app::ssr::now;
use serde_json::{json, Value};
use server::workers::mailer::Mailer;

/// Each message's recipient and state, oldest first.
async fn rows(app: &TestApp) -> Vec<(String, String)> {
    query("SELECT recipient, state FROM notifications ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

/// How many messages to `recipient` are in `state`.
fn count(rows: &[(String, String)], recipient: &str, state: &str) -> usize {
    rows.iter()
        .filter(|(r, s)| r == recipient && s == state)
        .count()
}

/// The detail page's statuses of the messages to `recipient`, newest first.
async fn statuses(app: &TestApp, cookie: &str, sid: &str, recipient: &str) -> Vec<String> {
    let detail: Value = serde_json::from_str(&app.detail(cookie, sid).await.body).unwrap();
    detail["outbox"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["recipient"] == recipient)
        .map(|e| e["status"].as_str().unwrap().to_string())
        .collect()
}

async fn ok(app: &TestApp, cookie: &str, sid: &str, change: Value) {
    let reply = app.change(cookie, sid, change).await;
    assert_eq!(reply.status, http::StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn developer_emails_get_three_changes_an_hour_then_one_summary() {
    let sink = Sink::start();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    let sid = app.make_token(&cookie, "Feed sync").await.sid;
    for enabled in [false, true, false, true] {
        ok(
            &app,
            &cookie,
            &sid,
            json!({ "SetEnabled": { "enabled": enabled } }),
        )
        .await;
    }
    let overview = json!({ "Overview": {
        "name": "Feed sync",
        "description": "Click https://evil.test/renew to keep your token"
    }});
    ok(&app, &cookie, &sid, overview).await;

    // Six changes: the primary contact (a user of the account) hears of each, the
    // developer email of the first three; the rest are held, and the page says why.
    let stored = rows(&app).await;
    assert_eq!(count(&stored, ADMIN, "queued"), 6, "{stored:?}");
    assert_eq!(
        count(&stored, "dev@partner.test", "queued"),
        3,
        "{stored:?}"
    );
    assert_eq!(count(&stored, "dev@partner.test", "held"), 3, "{stored:?}");
    let shown = statuses(&app, &cookie, &sid, "dev@partner.test").await;
    assert_eq!(
        shown[0],
        "Held back: developer emails get at most 3 messages an hour about one token; \
         this change goes into one summary message later"
    );

    // Within the hour nothing more goes to the developer.
    let mailer = Mailer::new(&sink.settings());
    let start = now();
    let pass = mailer.deliver_due(&app.pool, start).await.unwrap();
    assert_eq!(pass.sent, 9);
    let pass = mailer.deliver_due(&app.pool, start + 600).await.unwrap();
    assert_eq!(pass.sent, 0);
    assert_eq!(count(&rows(&app).await, "dev@partner.test", "held"), 3);

    // An hour later: one summary of the three held changes, and never the description.
    let pass = mailer.deliver_due(&app.pool, start + 3601).await.unwrap();
    assert_eq!(pass.sent, 1);
    let to_dev: Vec<Value> = sink
        .received()
        .into_iter()
        .filter(|m| m["to"][0] == "dev@partner.test")
        .collect();
    assert_eq!(to_dev.len(), 4);
    // The body is quoted-printable: join its soft line breaks.
    let summary = to_dev[3]["data"]
        .as_str()
        .unwrap()
        .replace("=\r\n", "")
        .replace("=\n", "");
    assert!(
        summary.contains("Subject: API access token \"Feed sync\": 3 changes summarised"),
        "{summary}"
    );
    for line in ["disabled", "enabled", "name or description changed"] {
        assert!(summary.contains(line), "{line} missing from {summary}");
    }
    assert!(!summary.contains("evil.test"), "{summary}");
    let stored = rows(&app).await;
    assert_eq!(count(&stored, "dev@partner.test", "summarised"), 3);
    assert_eq!(count(&stored, "dev@partner.test", "held"), 0);
    let shown = statuses(&app, &cookie, &sid, "dev@partner.test").await;
    assert!(shown[0].starts_with("Sent "), "{shown:?}");
    assert!(
        shown[1].starts_with("Not sent on its own: included in one summary message queued "),
        "{shown:?}"
    );

    // The summary counts towards the next hour, and a second pass sends nothing twice.
    let pass = mailer.deliver_due(&app.pool, start + 3700).await.unwrap();
    assert_eq!(pass.sent, 0);
    assert_eq!(sink.received().len(), 10);
}

#[tokio::test]
async fn replacing_the_developer_emails_buys_no_new_messages() {
    let sink = Sink::start();
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    let admin = app.user_id(ADMIN).await;
    let sid = app.make_token(&cookie, "Feed sync").await.sid;
    for n in 1..=4 {
        let change = json!({ "Contacts": {
            "primary_contact": admin,
            "developer_emails": [format!("a{n}@elsewhere.test")]
        }});
        ok(&app, &cookie, &sid, change).await;
    }

    // Each change tells the old and the new address; only three changes reach outside
    // addresses at all, whoever they are.
    let stored = rows(&app).await;
    let reached: std::collections::BTreeSet<&str> = stored
        .iter()
        .filter(|(r, s)| s == "queued" && r != ADMIN)
        .map(|(r, _)| r.as_str())
        .collect();
    assert_eq!(
        reached.into_iter().collect::<Vec<_>>(),
        ["a1@elsewhere.test", "a2@elsewhere.test", "dev@partner.test"]
    );
    assert_eq!(count(&stored, ADMIN, "queued"), 5);
    assert_eq!(count(&stored, "a3@elsewhere.test", "held"), 2);
    assert_eq!(count(&stored, "a4@elsewhere.test", "held"), 1);

    // The summary goes to the one address still on the token; the rest are dropped.
    let mailer = Mailer::new(&sink.settings());
    let start = now();
    mailer.deliver_due(&app.pool, start).await.unwrap();
    let pass = mailer.deliver_due(&app.pool, start + 3601).await.unwrap();
    assert_eq!(pass.sent, 1);
    assert_eq!(
        sink.received().last().unwrap()["to"][0],
        "a4@elsewhere.test"
    );
    let stored = rows(&app).await;
    assert_eq!(count(&stored, "a3@elsewhere.test", "dropped"), 2);
    assert_eq!(count(&stored, "a4@elsewhere.test", "summarised"), 1);
    let shown = statuses(&app, &cookie, &sid, "a3@elsewhere.test").await;
    assert_eq!(
        shown[0],
        "Dropped: the address is no longer a developer email of this token"
    );
}

/// Workers looking at once (here, in one process, their writes take turns): one summary
/// per address, each held message covered once. Across processes PostgreSQL's advisory
/// lock keeps them apart; removing it does not fail this test.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn held_mail_is_summarised_once_however_many_workers_look() {
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    let sid = app.make_token(&cookie, "Feed sync").await.sid;
    for enabled in [false, true, false, true, false] {
        let change = json!({ "SetEnabled": { "enabled": enabled } });
        ok(&app, &cookie, &sid, change).await;
    }
    assert_eq!(count(&rows(&app).await, "dev@partner.test", "held"), 3);
    let later = now() + 3601;
    let pool = &app.pool;
    let barrier = tokio::sync::Barrier::new(3);
    let summarise = || async {
        barrier.wait().await;
        held_mail::summarise(pool, later).await.unwrap()
    };
    let (a, b, c) = tokio::join!(summarise(), summarise(), summarise());
    assert_eq!(
        a.summaries + b.summaries + c.summaries,
        1,
        "{a:?} {b:?} {c:?}"
    );
    assert_eq!(a.covered + b.covered + c.covered, 3);
    let stored = rows(&app).await;
    assert_eq!(count(&stored, "dev@partner.test", "summarised"), 3);
    assert_eq!(count(&stored, "dev@partner.test", "held"), 0);
}

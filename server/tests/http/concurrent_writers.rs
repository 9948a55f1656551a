//! 64 clients writing at once: creating tokens and changing the same tokens. Every answer
//! is 200, 409 (the page was stale) or 422, never a 5xx or "database is locked", and the
//! list afterwards holds exactly what was acknowledged.

use super::harness::{TestApp, ADMIN, SPECIALIST};
use http::StatusCode;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What one client's write was told.
enum Outcome {
    Created(String),
    Renamed {
        sid: String,
        version: i64,
        name: String,
    },
    Refused,
}

async fn create(app: &TestApp, cookie: &str, name: &str) -> (StatusCode, String, Outcome) {
    let draft =
        json!({ "draft": app.review_draft(name, json!({ "scopes": ["reports:get"] })).await });
    let reply = app.call_json("create_token", Some(cookie), &draft).await;
    let outcome = match reply.status {
        StatusCode::OK => Outcome::Created(name.to_string()),
        _ => Outcome::Refused,
    };
    (reply.status, reply.body, outcome)
}

async fn rename(
    app: &TestApp,
    cookie: &str,
    sid: &str,
    name: &str,
) -> (StatusCode, String, Outcome) {
    let version = app.revision(sid).await;
    let change = json!({ "Overview": { "name": name, "description": "" } });
    let reply = app.change_at(cookie, sid, version, change).await;
    let outcome = match reply.status {
        StatusCode::OK => {
            let answer: Value = serde_json::from_str(&reply.body).unwrap();
            Outcome::Renamed {
                sid: sid.to_string(),
                version: answer["version"].as_i64().unwrap(),
                name: name.to_string(),
            }
        }
        _ => Outcome::Refused,
    };
    (reply.status, reply.body, outcome)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sixty_four_writers_get_clear_answers_and_lose_nothing() {
    let app = Arc::new(TestApp::new().await);
    let cookies = [app.sign_in(ADMIN).await, app.sign_in(SPECIALIST).await];
    let mut shared = Vec::new();
    for i in 0..4 {
        shared.push(
            app.make_token(&cookies[0], &format!("Shared {i}"))
                .await
                .sid,
        );
    }
    let shared = Arc::new(shared);
    let mut clients = Vec::new();
    for client in 0..64 {
        let (app, shared) = (app.clone(), shared.clone());
        let cookie = cookies[client % 2].clone();
        clients.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for round in 0..4 {
                let answer = match (client + round) % 3 {
                    0 => create(&app, &cookie, &format!("Client {client} token {round}")).await,
                    1 => {
                        let sid = &shared[(client + round) % shared.len()];
                        rename(
                            &app,
                            &cookie,
                            sid,
                            &format!("Renamed by {client} in {round}"),
                        )
                        .await
                    }
                    // A name two clients both try: one gets it, the other a clear refusal.
                    _ => create(&app, &cookie, &format!("Contested {}", client / 2)).await,
                };
                answers.push(answer);
            }
            answers
        }));
    }
    let mut created = BTreeSet::new();
    let mut latest: BTreeMap<String, (i64, String)> = BTreeMap::new();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for client in clients {
        for (status, body, outcome) in client.await.expect("no client panics") {
            *statuses.entry(status.as_u16()).or_default() += 1;
            assert!(
                matches!(status.as_u16(), 200 | 409 | 422),
                "{status}: {body}"
            );
            assert!(!body.contains("locked"), "{body}");
            match outcome {
                Outcome::Created(name) => assert!(created.insert(name)),
                Outcome::Renamed { sid, version, name } => {
                    let entry = latest.entry(sid).or_insert((0, String::new()));
                    if version > entry.0 {
                        *entry = (version, name);
                    }
                }
                Outcome::Refused => {}
            }
        }
    }
    eprintln!("64 writers, 256 writes: {statuses:?}");
    assert!(
        statuses.get(&200).copied().unwrap_or(0) > 100,
        "{statuses:?}"
    );

    let mut expected = created.clone();
    for (i, sid) in shared.iter().enumerate() {
        match latest.get(sid) {
            Some((version, name)) => {
                assert_eq!(app.revision(sid).await, *version, "{sid}");
                expected.insert(name.clone());
            }
            None => {
                expected.insert(format!("Shared {i}"));
            }
        }
    }
    let listed: BTreeSet<String> = app.list_all(&cookies[0]).await.into_iter().collect();
    assert_eq!(listed, expected);
}

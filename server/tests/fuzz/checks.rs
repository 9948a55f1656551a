//! Running one case and checking it: no 5xx, no panic, an answer within the bound, and
//! no committed write where none may be.

use crate::cases::Case;
use crate::changes::fingerprint;
use crate::harness::TestApp;
use crate::request::{class, prepare, shorten, Prepared};
use crate::world::{World, WRITERS};
use http::{header, StatusCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

static PANICS: AtomicUsize = AtomicUsize::new(0);

pub fn count_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            default(info);
        }));
    });
}

pub enum Outcome {
    /// Built and answered.
    Answered {
        status: StatusCode,
        elapsed: Duration,
        failures: Vec<(String, String)>,
        /// The start of the answer's body.
        body: String,
    },
    /// The request could not be built (`http` refused the method or URI).
    Unbuildable,
}

pub struct Run {
    pub outcome: Outcome,
    pub text: String,
    pub class: &'static str,
}

pub async fn run_case(app: &Arc<TestApp>, world: &mut World, case: &Case, bound: Duration) -> Run {
    let preparing = Instant::now();
    let prepared = match prepare(world, app, case).await {
        Ok(p) => p,
        Err(_) => {
            return Run {
                outcome: Outcome::Unbuildable,
                text: String::new(),
                class: class(&case.target),
            }
        }
    };
    let Prepared {
        request,
        text,
        class,
        session_role,
        cross_site_write,
        safe_method,
    } = prepared;
    let before = match world.fingerprint.take() {
        Some(known) => known,
        None => fingerprint(app).await,
    };
    let panics = PANICS.load(Ordering::SeqCst);
    let started = Instant::now();
    world.phases[1] += started - preparing;
    let sender = app.clone();
    let mut task = tokio::spawn(async move { sender.send(request).await });
    let answer = tokio::time::timeout(bound, &mut task).await;
    let elapsed = started.elapsed();
    world.phases[2] += elapsed;
    let checking = Instant::now();
    let mut failures = Vec::new();
    let mut status = StatusCode::IM_A_TEAPOT;
    // A server function's error, answered as a redirect for a form post without JavaScript.
    let mut redirected_error = false;
    let mut body = String::new();
    match answer {
        Err(_) => {
            task.abort();
            // A task waiting on a future is dropped at once; one whose thread is blocked
            // (a synchronous deadlock) never is. The work an exchange waits for may run in
            // other tasks, though: see also the shutdown check at the end of the run.
            let cancelled = tokio::time::timeout(Duration::from_secs(2), &mut task)
                .await
                .is_ok();
            failures.push((
                "hang".to_string(),
                format!(
                    "no complete answer within {} s; {}",
                    bound.as_secs(),
                    if cancelled {
                        "the exchange was cancelled"
                    } else {
                        "the exchange could not be cancelled: the thread running it is blocked"
                    }
                ),
            ));
        }
        Ok(Err(join)) => {
            let message = join
                .try_into_panic()
                .ok()
                .and_then(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                })
                .unwrap_or_else(|| "cancelled".into());
            failures.push((
                "panic".to_string(),
                format!("the exchange panicked: {message}"),
            ));
        }
        Ok(Ok(reply)) => {
            status = reply.status;
            if status.is_server_error() {
                failures.push((
                    format!("{}", status.as_u16()),
                    format!("status {status}: {}", shorten(&reply.body, 600)),
                ));
            }
            let id = reply
                .headers
                .get("x-request-id")
                .and_then(|v| server::telemetry::observe::usable_id(v));
            if id.is_none() {
                failures.push((
                    "request-id".to_string(),
                    "the answer has no usable X-Request-Id".to_string(),
                ));
            }
            world.learn(case, status, &reply.body);
            let location = reply
                .headers
                .get(header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .unwrap_or_default();
            redirected_error = status.is_redirection()
                && location.contains("__err=")
                && !case
                    .headers
                    .referer
                    .as_deref()
                    .unwrap_or("")
                    .contains("__err=");
            body = shorten(&reply.body, 300);
        }
    }
    let after_panics = PANICS.load(Ordering::SeqCst);
    if after_panics != panics && !failures.iter().any(|(k, _)| k == "panic") {
        failures.push((
            "panic".to_string(),
            format!(
                "{} panic(s) elsewhere in the process while this request ran",
                after_panics - panics
            ),
        ));
    }
    // A public report is looked at after it is answered: its writes belong to this case.
    if class == "report" {
        reports_done(app).await;
    }
    let after = fingerprint(app).await;
    let diff = |what: &str| {
        let then = format!("{} {}", before.0, before.1);
        let now = format!("{} {}", after.0, after.1);
        let changed: Vec<String> = then
            .split(' ')
            .zip(now.split(' '))
            .filter(|(a, b)| a != b)
            .map(|(a, b)| {
                let (table, from) = a.split_once('=').unwrap_or((a, "?"));
                let to = b.split_once('=').map_or("?", |(_, n)| n);
                let writes = to.parse::<i64>().unwrap_or(0) - from.parse::<i64>().unwrap_or(0);
                format!("{table} ({writes} row write(s))")
            })
            .collect();
        format!("{what}: {}", changed.join(", "))
    };
    if (status.is_client_error() || redirected_error) && before != after {
        failures.push((
            "state change on a refused request".to_string(),
            diff(&format!(
                "status {status}{} but the database changed",
                if redirected_error {
                    " (an error, redirected)"
                } else {
                    ""
                }
            )),
        ));
    }
    if cross_site_write && before != after {
        failures.push((
            "state change from a cross-site request".to_string(),
            diff(&format!(
                "status {status}; the request is cross-site by the middleware's rule"
            )),
        ));
    }
    if safe_method && before != after {
        failures.push((
            "state change from a safe method".to_string(),
            diff(&format!(
                "status {status}; GET, HEAD and OPTIONS pass the cross-site check"
            )),
        ));
    }
    let writer = session_role.is_some_and(|r| WRITERS.contains(&r));
    // Revocation by the holder of a secret needs no session: it may disable the token,
    // audit it and tell its contacts, and write nothing else.
    let holder_revocation = (class == "revoke" || class == "report")
        && changed_tables(&before.0, &after.0)
            .iter()
            .all(|table| ["tokens", "audit_events", "notifications"].contains(&table.as_str()));
    if !writer && !holder_revocation && before.0 != after.0 {
        failures.push((
            "state change without a managing session".to_string(),
            diff(&format!("status {status}; session role {session_role:?}")),
        ));
    }
    world.fingerprint = Some(after.clone());
    if before.1 != after.1 {
        world.keep_sessions(app).await;
    }
    if before.0 != after.0 {
        world.keep_tokens(app).await;
    }
    world.phases[3] += checking.elapsed();
    Run {
        outcome: Outcome::Answered {
            status,
            elapsed,
            failures,
            body,
        },
        text,
        class,
    }
}

/// The tables whose write counts differ between two fingerprints.
fn changed_tables(before: &str, after: &str) -> Vec<String> {
    let counts = |text: &str| -> std::collections::BTreeMap<String, String> {
        text.split(' ')
            .filter_map(|pair| pair.split_once('='))
            .map(|(table, n)| (table.to_string(), n.to_string()))
            .collect()
    };
    let (before, after) = (counts(before), counts(after));
    let tables: std::collections::BTreeSet<&String> = before
        .keys()
        .chain(after.keys())
        .filter(|table| before.get(*table) != after.get(*table))
        .collect();
    tables.into_iter().cloned().collect()
}

/// Waits until no public report is being looked at (every worker permit is back).
async fn reports_done(app: &TestApp) {
    let workers = &app.api.report_workers;
    for _ in 0..2000 {
        if workers.available_permits() == server::brand_api::REPORT_WORKERS {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

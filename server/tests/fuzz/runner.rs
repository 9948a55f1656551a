//! The run: settings from the environment, the seed, the watchdog's progress marks, and
//! the loop that generates, sends and checks every case.

use crate::cases::case;
use crate::changes::watch_changes;
use crate::checks::{count_panics, run_case, Outcome};
use crate::harness::TestApp;
use crate::report::{failure_report, Failure, Tally};
use crate::shrink::shrink;
use crate::world::{endpoints, World};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    hasher.finish()
}

/// Where the run is, for the watchdog.
pub struct Progress {
    /// When the run started.
    pub started: Instant,
    /// Milliseconds since the run started, when the last case began.
    pub at: std::sync::atomic::AtomicU64,
    pub case_no: AtomicUsize,
    pub done: std::sync::atomic::AtomicBool,
}

impl Progress {
    /// Notes that a case starts now.
    pub fn mark(&self) {
        self.at
            .store(self.started.elapsed().as_millis() as u64, Ordering::SeqCst);
    }
}

pub async fn fuzz(
    seed: u64,
    cases: usize,
    bound: Duration,
    progress: &Progress,
) -> Result<(), String> {
    let shrink_budget = env_u64("FUZZ_SHRINK").unwrap_or(64) as usize;
    count_panics();

    let setup_started = Instant::now();
    // Behind a proxy: `Client::Fixed` addresses are trusted, so their X-Forwarded-For counts.
    let app = Arc::new(TestApp::behind_proxy("192.168.0.0/24").await);
    // Its awkward strings go into paths as much as into password fields: a junk path in
    // the access log is no leaked password.
    app.not_secrets(crate::values::NASTY);
    watch_changes(app.sqlite()).await;
    let mut world = World::setup(&app).await;
    let endpoints = endpoints();
    eprintln!(
        "fuzz: set up in {:.1} s; server functions: {}",
        setup_started.elapsed().as_secs_f64(),
        endpoints.join(", ")
    );

    let config = Config {
        cases: cases as u32,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(seed),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let strategy = case(endpoints);

    let started = Instant::now();
    let mut tally = Tally::new();
    let mut failures: Vec<Failure> = Vec::new();
    let mut hangs = 0usize;
    // Every case of one class (e.g. `FUZZ_TRACE=sandbox`), for tuning the generators.
    let trace = std::env::var("FUZZ_TRACE").ok();

    for case_no in 0..cases {
        progress.mark();
        progress.case_no.store(case_no, Ordering::SeqCst);
        let generating = Instant::now();
        let mut tree = strategy.new_tree(&mut runner).expect("a case");
        let case = tree.current();
        world.phases[0] += generating.elapsed();
        let run = run_case(&app, &mut world, &case, bound).await;
        let Outcome::Answered {
            status,
            elapsed,
            failures: found,
            body,
        } = run.outcome
        else {
            tally.unbuildable += 1;
            continue;
        };
        tally.record(run.class, &run.text, status, elapsed, &body);
        if trace.as_deref() == Some(run.class) {
            eprintln!(
                "fuzz: trace #{case_no} {:?}\n{}\n  → {status} {body}",
                case.headers.auth, run.text
            );
        }
        if (case_no + 1) % 1000 == 0 {
            eprintln!(
                "fuzz: {} cases, {:.1} s, {} failure(s) so far",
                case_no + 1,
                started.elapsed().as_secs_f64(),
                failures.iter().map(|f| f.count).sum::<usize>()
            );
        }
        for (kind, detail) in found {
            if kind == "hang" {
                hangs += 1;
            }
            if let Some(f) = failures
                .iter_mut()
                .find(|f| f.kind == kind && f.class == run.class)
            {
                f.count += 1;
                continue;
            }
            eprintln!(
                "fuzz: FAILURE ({kind}, {}) at case #{case_no} (FUZZ_SEED={seed}):\n{}\n  {detail}",
                run.class, run.text
            );
            let mut failure = Failure {
                kind: kind.clone(),
                class: run.class,
                case_no,
                count: 1,
                detail,
                request: run.text.clone(),
                shrunk: None,
            };
            // Shrink: simpler cases that still fail the same way, within a budget.
            if shrink_budget > 0 && kind != "hang" {
                failure.shrunk = shrink(
                    &app,
                    &mut world,
                    &mut *tree,
                    &failure,
                    shrink_budget,
                    bound,
                    progress,
                )
                .await;
            }
            failures.push(failure);
        }
        if hangs >= 20 {
            eprintln!("fuzz: 20 hangs: stopping early");
            break;
        }
    }

    let took = started.elapsed();
    let report = tally.report(seed, took, &app, &world).await;
    eprintln!("{report}");

    if !failures.is_empty() {
        let text = failure_report(&failures, seed, cases);
        eprintln!("{text}");
        return Err(text);
    }
    let dropping = Instant::now();
    drop(app);
    eprintln!(
        "fuzz: app dropped (the harness' secret scan) in {:.1} s",
        dropping.elapsed().as_secs_f64()
    );
    Ok(())
}

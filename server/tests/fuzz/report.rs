//! Reporting: the answers counted (status histograms by class, time, samples, reasons),
//! the end-of-run summary, and the failures found.

use crate::changes::fingerprint;
use crate::harness::TestApp;
use crate::runner::env_u64;
use crate::world::World;
use http::StatusCode;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// One kind of failure in one class of request: the first case that showed it, how
/// many did, and the smallest request shrinking found.
pub struct Failure {
    pub kind: String,
    pub class: &'static str,
    pub case_no: usize,
    pub count: usize,
    pub detail: String,
    pub request: String,
    pub shrunk: Option<(String, String, usize)>,
}

/// What the answers were, counted for the summary.
pub struct Tally {
    statuses: BTreeMap<u16, usize>,
    by_class: BTreeMap<&'static str, BTreeMap<u16, usize>>,
    /// Cases `http` refused to build, skipped.
    pub unbuildable: usize,
    slowest: (Duration, String),
    time_by_class: BTreeMap<&'static str, (u32, Duration)>,
    samples: BTreeMap<(&'static str, u16), String>,
    /// `FUZZ_VERBOSE`: answers counted by route, status and message, and samples shown.
    verbose: bool,
    reasons: BTreeMap<(&'static str, u16, String), usize>,
}

impl Tally {
    pub fn new() -> Tally {
        Tally {
            statuses: BTreeMap::new(),
            by_class: BTreeMap::new(),
            unbuildable: 0,
            slowest: (Duration::ZERO, String::new()),
            time_by_class: BTreeMap::new(),
            samples: BTreeMap::new(),
            verbose: env_u64("FUZZ_VERBOSE").unwrap_or(0) > 0,
            reasons: BTreeMap::new(),
        }
    }

    /// Counts one answered request: `text` is the request as shown in reports, `body` the
    /// start of the answer's body.
    pub fn record(
        &mut self,
        class: &'static str,
        text: &str,
        status: StatusCode,
        elapsed: Duration,
        body: &str,
    ) {
        *self.statuses.entry(status.as_u16()).or_default() += 1;
        *self
            .by_class
            .entry(class)
            .or_default()
            .entry(status.as_u16())
            .or_default() += 1;
        let time = self.time_by_class.entry(class).or_default();
        time.0 += 1;
        time.1 += elapsed;
        if self.verbose {
            let request_line = text.lines().next().unwrap_or("");
            let method = request_line.split(' ').next().unwrap_or("");
            let route = match class {
                "server fn" | "page" | "static" => request_line
                    .split(' ')
                    .nth(1)
                    .unwrap_or("")
                    .split('?')
                    .next()
                    .unwrap_or(""),
                _ => "",
            };
            let reason = format!(
                "{method} {route} {}",
                body.chars().take(70).collect::<String>()
            );
            *self
                .reasons
                .entry((class, status.as_u16(), reason))
                .or_default() += 1;
        }
        self.samples
            .entry((class, status.as_u16()))
            .or_insert_with(|| format!("{text}\n  → {body}"));
        if elapsed > self.slowest.0 {
            self.slowest = (elapsed, text.to_string());
        }
    }

    /// The end-of-run summary: cases answered, status histograms overall and by class,
    /// what was written, and where the time went.
    pub async fn report(&self, seed: u64, took: Duration, app: &TestApp, world: &World) -> String {
        let run = self.statuses.values().sum::<usize>();
        let mut report = String::new();
        let _ = writeln!(
            report,
            "fuzz: FUZZ_SEED={seed}: {run} cases answered ({} unbuildable, skipped) in {:.1} s = {:.0} cases/s",
            self.unbuildable,
            took.as_secs_f64(),
            run as f64 / took.as_secs_f64()
        );
        let histogram: Vec<String> = self
            .statuses
            .iter()
            .map(|(s, n)| format!("{s}×{n}"))
            .collect();
        let _ = writeln!(report, "fuzz: statuses: {}", histogram.join("  "));
        for (class, statuses) in &self.by_class {
            let histogram: Vec<String> = statuses.iter().map(|(s, n)| format!("{s}×{n}")).collect();
            let (n, total) = self
                .time_by_class
                .get(class)
                .copied()
                .unwrap_or((1, Duration::ZERO));
            let mean = total.as_secs_f64() * 1000.0 / f64::from(n.max(1));
            let _ = writeln!(
                report,
                "fuzz:   {class:<11} (mean {mean:.1} ms) {}",
                histogram.join("  ")
            );
        }
        if self.verbose {
            for ((class, status, reason), n) in &self.reasons {
                let _ = writeln!(report, "fuzz: reason {class} {status} ×{n}: {reason:?}");
            }
            for ((class, status), sample) in &self.samples {
                let _ = writeln!(report, "fuzz: sample {class} {status}:\n{sample}");
            }
        }
        let (core, sessions) = fingerprint(app).await;
        let _ = writeln!(
            report,
            "fuzz: committed row writes by table (setup included): {core} {sessions}"
        );
        let [generating, preparing, exchanging, checking] = world.phases.map(|d| d.as_secs_f64());
        let _ = writeln!(
            report,
            "fuzz: time in generating cases {generating:.1} s, resolving them {preparing:.1} s, \
             requests {exchanging:.1} s, checks and upkeep {checking:.1} s"
        );
        let _ = writeln!(
            report,
            "fuzz: slowest: {} ms:\n{}",
            self.slowest.0.as_millis(),
            self.slowest.1
        );
        report
    }
}

/// Every kind of failure, with the first request that showed it and the smallest one
/// shrinking found.
pub fn failure_report(failures: &[Failure], seed: u64, cases: usize) -> String {
    let mut text = format!(
        "{} kind(s) of failure, {} case(s) in all; replay with FUZZ_SEED={seed} FUZZ_CASES={cases}\n",
        failures.len(),
        failures.iter().map(|f| f.count).sum::<usize>()
    );
    for f in failures {
        let _ = writeln!(
            text,
            "\n== {} ({}) ×{} — first at case #{} (FUZZ_SEED={seed})\n{}\n  {}",
            f.kind, f.class, f.count, f.case_no, f.request, f.detail
        );
        if let Some((request, detail, steps)) = &f.shrunk {
            let _ = writeln!(text, "  shrunk ({steps} steps) to:\n{request}\n  {detail}");
        }
    }
    text
}

//! Shrinking: simpler cases that still fail the same way, within a budget of requests.

use crate::cases::Case;
use crate::checks::{run_case, Outcome};
use crate::harness::TestApp;
use crate::report::Failure;
use crate::runner::Progress;
use crate::world::World;
use proptest::strategy::ValueTree;
use std::sync::Arc;
use std::time::Duration;

/// Simplifies `tree`'s case while it still fails as `failure` did (same kind, same
/// class), sending at most `budget` requests: the smallest failing request found, its
/// failure's detail, and the number of simplifying steps that led to it.
pub async fn shrink(
    app: &Arc<TestApp>,
    world: &mut World,
    tree: &mut dyn ValueTree<Value = Case>,
    failure: &Failure,
    budget: usize,
    bound: Duration,
    progress: &Progress,
) -> Option<(String, String, usize)> {
    let mut spent = 0;
    let mut best: Option<(String, String)> = None;
    let mut steps = 0;
    if tree.simplify() {
        while spent < budget {
            spent += 1;
            progress.mark();
            let candidate = tree.current();
            let again = run_case(app, world, &candidate, bound).await;
            let same = match &again.outcome {
                Outcome::Answered { failures, .. } => failures
                    .iter()
                    .find(|(k, _)| *k == failure.kind && again.class == failure.class)
                    .map(|(_, d)| d.clone()),
                Outcome::Unbuildable => None,
            };
            let more = if let Some(detail) = same {
                best = Some((again.text, detail));
                steps += 1;
                tree.simplify()
            } else {
                tree.complicate()
            };
            if !more {
                break;
            }
        }
    }
    best.map(|(text, detail)| (text, detail, steps))
}

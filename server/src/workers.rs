//! Background jobs: the mail worker, the expiry warnings and the pruning of expired sessions;
//! and [`Workers`], the set a serving instance runs them in and stops them through.

pub mod expired_sessions;
pub mod expiry_warnings;
pub mod mailer;
pub mod webhooks;

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::{Id, JoinSet};

/// The background jobs of one instance. Each takes the receiver [`Workers::stopping`]
/// gives and returns once it turns true; [`Workers::stop`] says so to all of them at once
/// and waits for them, each finishing what it was doing (a last flush, the message being
/// sent).
pub struct Workers {
    jobs: JoinSet<()>,
    names: HashMap<Id, &'static str>,
    stop: watch::Sender<bool>,
}

impl Default for Workers {
    fn default() -> Self {
        Self {
            jobs: JoinSet::new(),
            names: HashMap::new(),
            stop: watch::channel(false).0,
        }
    }
}

impl Workers {
    /// What a job watches to know when to stop.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }

    /// Runs `job`, named in the logs as `name`.
    pub fn spawn(&mut self, name: &'static str, job: impl Future<Output = ()> + Send + 'static) {
        let id = self.jobs.spawn(job).id();
        self.names.insert(id, name);
    }

    /// Tells every job to stop and waits up to `within` for them all; those still running
    /// then are cut, and named in the logs.
    pub async fn stop(mut self, within: Duration) {
        let _ = self.stop.send(true);
        let deadline = tokio::time::Instant::now() + within;
        while !self.jobs.is_empty() {
            match tokio::time::timeout_at(deadline, self.jobs.join_next_with_id()).await {
                Ok(Some(Ok((id, ())))) => {
                    self.names.remove(&id);
                }
                Ok(Some(Err(error))) => {
                    let name = self.names.remove(&error.id()).unwrap_or("a job");
                    tracing::error!(%error, "{name} failed");
                }
                Ok(None) => break,
                Err(_) => {
                    let late: Vec<_> = self.names.values().collect();
                    tracing::warn!(?late, "not stopped in time; cut");
                    self.jobs.abort_all();
                    break;
                }
            }
        }
    }
}

//! Limits on guessing passwords: failed sign-ins per account and per client address within
//! a window, and a cap on the password hashes that run at once (each takes about 19 MiB
//! and tens of milliseconds of a core).
//!
//! An attempt is counted as a failure when it starts, under the same lock as the check,
//! so a flood of concurrent guesses can't all slip past the limit; a success gives its
//! count back (and clears the account's).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

mod shared;

/// How much guessing is allowed.
#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    /// Failed sign-ins per account (email) per window.
    pub per_account: u32,
    /// Failed sign-ins per client address per window.
    pub per_address: u32,
    /// The window.
    pub window: Duration,
    /// Password hashes running at once.
    pub hashes: usize,
    /// How long a sign-in may wait for a hash slot before it is told to retry.
    pub hash_wait: Duration,
}

impl Default for SignInLimits {
    fn default() -> Self {
        Self {
            per_account: 10,
            per_address: 30,
            window: Duration::from_secs(15 * 60),
            hashes: std::thread::available_parallelism().map_or(2, |n| n.get()),
            hash_wait: Duration::from_secs(3),
        }
    }
}

/// Why a sign-in is not even tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures: try again after this long. `account_newly_locked` is true for
    /// the first refusal of the account in its window (the one worth an audit event).
    Throttled {
        /// Until the window ends.
        retry_after: Duration,
        /// The account's limit was reached by this attempt's predecessors, and this is
        /// the first refusal since.
        account_newly_locked: bool,
    },
    /// Every hash slot stayed busy: try again in a moment.
    Busy,
}

/// One attempt, counted as a failure until [`SignInGuard::succeeded`] says otherwise.
#[derive(Debug)]
pub struct Attempt {
    account: String,
    address: String,
}

/// Permission to run one password hash.
#[derive(Debug)]
pub struct HashSlot(#[allow(dead_code)] OwnedSemaphorePermit);

/// Shared by every sign-in of the process.
#[derive(Clone)]
pub struct SignInGuard {
    inner: Arc<Inner>,
}

struct Inner {
    limits: SignInLimits,
    /// Where the counts live when several instances share a database (PostgreSQL);
    /// `None`: in this process.
    shared: Option<crate::ssr::db::Db>,
    accounts: Mutex<Counters>,
    addresses: Mutex<Counters>,
    hashing: Arc<Semaphore>,
}

/// At most this many accounts or addresses are tracked; the oldest windows go first.
const CAPACITY: usize = 100_000;

#[derive(Default)]
struct Counters {
    windows: HashMap<String, Window>,
}

struct Window {
    started: Instant,
    count: u32,
    refused: bool,
}

impl Counters {
    /// The live window for `key`, a fresh one if it has ended or never started.
    fn window(&mut self, key: &str, now: Instant, length: Duration) -> &mut Window {
        if self.windows.len() >= CAPACITY && !self.windows.contains_key(key) {
            self.windows
                .retain(|_, window| now.duration_since(window.started) < length);
            if self.windows.len() >= CAPACITY {
                if let Some(oldest) = self
                    .windows
                    .iter()
                    .min_by_key(|(_, window)| window.started)
                    .map(|(key, _)| key.clone())
                {
                    self.windows.remove(&oldest);
                }
            }
        }
        let window = self.windows.entry(key.to_string()).or_insert(Window {
            started: now,
            count: 0,
            refused: false,
        });
        if now.duration_since(window.started) >= length {
            *window = Window {
                started: now,
                count: 0,
                refused: false,
            };
        }
        window
    }
}

fn lock(counters: &Mutex<Counters>) -> MutexGuard<'_, Counters> {
    counters.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SignInGuard {
    /// A guard with these limits, counting in this process.
    pub fn new(limits: SignInLimits) -> Self {
        Self::build(limits, None)
    }

    /// A guard with these limits for instances on `db`: counting in the database when
    /// it is PostgreSQL (several instances), in this process on SQLite.
    pub fn for_database(limits: SignInLimits, db: &crate::ssr::db::Db) -> Self {
        let shared = (db.engine() == crate::ssr::db::Engine::Postgres).then(|| db.clone());
        Self::build(limits, shared)
    }

    fn build(limits: SignInLimits, shared: Option<crate::ssr::db::Db>) -> Self {
        Self {
            inner: Arc::new(Inner {
                limits,
                shared,
                accounts: Mutex::default(),
                addresses: Mutex::default(),
                hashing: Arc::new(Semaphore::new(limits.hashes.max(1))),
            }),
        }
    }

    /// Checks and counts an attempt to sign in as `account` (the email as typed, any case)
    /// from `address`, in one step.
    pub async fn begin(&self, account: &str, address: &str) -> Result<Attempt, Refusal> {
        // No email is longer: a longer "account" is one key, however long.
        let account: String = account
            .trim()
            .to_ascii_lowercase()
            .chars()
            .take(254)
            .collect();
        match &self.inner.shared {
            Some(db) => shared::begin(db, self.inner.limits, account, address).await,
            None => self.begin_here(account, address),
        }
    }

    fn begin_here(&self, account: String, address: &str) -> Result<Attempt, Refusal> {
        let limits = self.inner.limits;
        let now = Instant::now();
        let mut accounts = lock(&self.inner.accounts);
        let mut addresses = lock(&self.inner.addresses);
        let by_account = accounts.window(&account, now, limits.window);
        let account_full = by_account.count >= limits.per_account;
        let account_ends = by_account.started + limits.window;
        let newly_locked = account_full && !by_account.refused;
        if account_full {
            by_account.refused = true;
        }
        let by_address = addresses.window(address, now, limits.window);
        let address_full = by_address.count >= limits.per_address;
        let address_ends = by_address.started + limits.window;
        let ends = match (account_full, address_full) {
            (true, true) => Some(account_ends.max(address_ends)),
            (true, false) => Some(account_ends),
            (false, true) => Some(address_ends),
            (false, false) => None,
        };
        if let Some(ends) = ends {
            return Err(Refusal::Throttled {
                retry_after: ends
                    .saturating_duration_since(now)
                    .max(Duration::from_secs(1)),
                account_newly_locked: newly_locked,
            });
        }
        by_address.count += 1;
        accounts.window(&account, now, limits.window).count += 1;
        Ok(Attempt {
            account,
            address: address.to_string(),
        })
    }

    /// The attempt signed in: its account starts afresh, and it no longer counts against
    /// its address.
    pub async fn succeeded(&self, attempt: Attempt) {
        if let Some(db) = &self.inner.shared {
            return shared::succeeded(db, attempt).await;
        }
        lock(&self.inner.accounts).windows.remove(&attempt.account);
        if let Some(window) = lock(&self.inner.addresses)
            .windows
            .get_mut(&attempt.address)
        {
            window.count = window.count.saturating_sub(1);
        }
    }

    /// The attempt was never tried (no hash slot): it counts against nobody.
    pub async fn not_tried(&self, attempt: Attempt) {
        if let Some(db) = &self.inner.shared {
            return shared::not_tried(db, attempt).await;
        }
        for (counters, key) in [
            (&self.inner.accounts, &attempt.account),
            (&self.inner.addresses, &attempt.address),
        ] {
            if let Some(window) = lock(counters).windows.get_mut(key) {
                window.count = window.count.saturating_sub(1);
            }
        }
    }

    /// A slot to hash a password in, waiting at most the configured time. The slot goes
    /// with the hash to its thread and is freed when the hash is done, even if the client
    /// has gone: dropped requests can't pile up hashes.
    pub async fn hash_slot(&self) -> Result<HashSlot, Refusal> {
        let acquire = self.inner.hashing.clone().acquire_owned();
        match tokio::time::timeout(self.inner.limits.hash_wait, acquire).await {
            Ok(Ok(permit)) => Ok(HashSlot(permit)),
            _ => Err(Refusal::Busy),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard(per_account: u32, per_address: u32) -> SignInGuard {
        SignInGuard::new(SignInLimits {
            per_account,
            per_address,
            window: Duration::from_secs(900),
            hashes: 1,
            hash_wait: Duration::from_millis(50),
        })
    }

    #[tokio::test]
    async fn an_account_is_locked_after_its_failures_whatever_the_address() {
        let guard = guard(3, 100);
        for i in 0..3 {
            guard
                .begin("Admin@Acme.test", &format!("10.0.0.{i}"))
                .await
                .unwrap();
        }
        let refused = guard
            .begin("admin@acme.test", "10.0.0.9")
            .await
            .unwrap_err();
        assert!(matches!(
            refused,
            Refusal::Throttled { account_newly_locked: true, retry_after } if retry_after > Duration::from_secs(890)
        ));
        assert!(matches!(
            guard.begin("admin@acme.test", "10.0.0.9").await,
            Err(Refusal::Throttled {
                account_newly_locked: false,
                ..
            })
        ));
        assert!(guard.begin("other@acme.test", "10.0.0.9").await.is_ok());
    }

    #[tokio::test]
    async fn an_address_is_limited_across_accounts() {
        let guard = guard(100, 2);
        guard.begin("a@x.test", "10.0.0.1").await.unwrap();
        guard.begin("b@x.test", "10.0.0.1").await.unwrap();
        assert!(guard.begin("c@x.test", "10.0.0.1").await.is_err());
        assert!(guard.begin("c@x.test", "10.0.0.2").await.is_ok());
    }

    #[tokio::test]
    async fn a_success_gives_its_count_back() {
        let guard = guard(2, 2);
        let first = guard.begin("a@x.test", "10.0.0.1").await.unwrap();
        guard.succeeded(first).await;
        guard.begin("a@x.test", "10.0.0.1").await.unwrap();
        assert!(guard.begin("a@x.test", "10.0.0.1").await.is_ok());
        assert!(guard.begin("a@x.test", "10.0.0.1").await.is_err());
    }

    #[tokio::test]
    async fn tracking_is_bounded() {
        let guard = guard(1, 1_000_000);
        for i in 0..(CAPACITY + 10) {
            let _ = guard.begin(&format!("user{i}@x.test"), "10.0.0.1").await;
        }
        assert!(lock(&guard.inner.accounts).windows.len() <= CAPACITY);
    }

    #[tokio::test]
    async fn busy_hash_slots_refuse_after_the_wait() {
        let guard = guard(10, 10);
        let held = guard.hash_slot().await.unwrap();
        assert_eq!(guard.hash_slot().await.unwrap_err(), Refusal::Busy);
        drop(held);
        assert!(guard.hash_slot().await.is_ok());
    }
}

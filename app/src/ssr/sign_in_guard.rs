//! Limits on guessing passwords: failed sign-ins per account and per client address within
//! a window, and a cap on the password hashes that run at once (each takes about 19 MiB
//! and tens of milliseconds of a core).
//!
//! An attempt is counted as a failure when it starts, under the same lock as the check,
//! so a flood of concurrent guesses can't all slip past the limit; a success gives its
//! count back (and clears the account's).
//!
//! An attempt from a browser that holds the account's device cookie
//! ([`crate::ssr::device_cookie`]) is counted against that device alone, with the account's
//! limit: a flood from its address or against its account doesn't lock it out, and a device
//! cookie that fails too often is locked itself.

use std::collections::{HashMap, VecDeque};
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
    /// The account's key, or the device's for an attempt with a device cookie.
    account: String,
    /// The address's key; empty for an attempt with a device cookie.
    address: String,
    /// Whether `account` is a device's key.
    device: bool,
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
    devices: Mutex<Counters>,
    hashing: Arc<Semaphore>,
}

/// At most this many accounts or addresses are tracked.
const CAPACITY: usize = 100_000;

/// How many of the oldest windows one new window may look at to make room.
const TIDY_STEPS: usize = 32;

/// Failure windows, and the order they started in. Only an attempt that is let through
/// (and so counted) makes a window; a refused one looks without touching. At capacity the
/// oldest window that hasn't reached its limit makes room; one that has (a lockout) is
/// never dropped before it ends, so a flood of new keys can't erase it. Making room looks
/// at a bounded number of windows, never the whole table.
#[derive(Default)]
struct Counters {
    windows: HashMap<String, Window>,
    /// Keys with the start of the window they had when queued; an entry whose key has
    /// since ended or started another window is stale and skipped.
    order: VecDeque<(String, Instant)>,
}

struct Window {
    started: Instant,
    count: u32,
    refused: bool,
}

impl Counters {
    /// The live window for `key`, if it has one.
    fn live(&mut self, key: &str, now: Instant, length: Duration) -> Option<&mut Window> {
        self.windows
            .get_mut(key)
            .filter(|window| now.duration_since(window.started) < length)
    }

    /// Counts one failure for `key`; false when the table is full of lockouts and no
    /// window can be made for it.
    fn count(&mut self, key: &str, now: Instant, length: Duration, limit: u32) -> bool {
        if let Some(window) = self.live(key, now, length) {
            window.count += 1;
            return true;
        }
        self.windows.remove(key);
        self.make_room(now, length, limit);
        if self.windows.len() >= CAPACITY {
            return false;
        }
        self.windows.insert(
            key.to_string(),
            Window {
                started: now,
                count: 1,
                refused: false,
            },
        );
        self.order.push_back((key.to_string(), now));
        true
    }

    /// Takes one failure back from `key`'s live window.
    fn uncount(&mut self, key: &str, now: Instant, length: Duration) {
        if let Some(window) = self.live(key, now, length) {
            window.count = window.count.saturating_sub(1);
        }
    }

    /// Drops stale and ended entries from the front of the order and, at capacity, the
    /// oldest window below `limit`; a lockout met on the way goes to the back.
    fn make_room(&mut self, now: Instant, length: Duration, limit: u32) {
        for _ in 0..TIDY_STEPS {
            let Some((key, started)) = self.order.pop_front() else {
                return;
            };
            let Some(window) = self.windows.get(&key) else {
                continue;
            };
            if window.started != started {
                continue;
            }
            if now.duration_since(started) >= length {
                self.windows.remove(&key);
                continue;
            }
            if self.windows.len() < CAPACITY {
                self.order.push_front((key, started));
                return;
            }
            if window.count < limit {
                self.windows.remove(&key);
                return;
            }
            self.order.push_back((key, started));
        }
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
                devices: Mutex::default(),
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

    /// Checks and counts an attempt from a browser holding the account's device cookie
    /// (`device`: its key), against that device alone.
    pub async fn begin_device(&self, device: &str) -> Result<Attempt, Refusal> {
        if let Some(db) = &self.inner.shared {
            return shared::begin_device(db, self.inner.limits, device).await;
        }
        let limits = self.inner.limits;
        let now = Instant::now();
        let mut devices = lock(&self.inner.devices);
        if let Some(window) = devices.live(device, now, limits.window) {
            if window.count >= limits.per_account {
                return Err(Refusal::Throttled {
                    retry_after: (window.started + limits.window)
                        .saturating_duration_since(now)
                        .max(Duration::from_secs(1)),
                    account_newly_locked: false,
                });
            }
        }
        if !devices.count(device, now, limits.window, limits.per_account) {
            return Err(Refusal::Busy);
        }
        Ok(Attempt {
            account: device.to_string(),
            address: String::new(),
            device: true,
        })
    }

    fn begin_here(&self, account: String, address: &str) -> Result<Attempt, Refusal> {
        let limits = self.inner.limits;
        let now = Instant::now();
        let mut accounts = lock(&self.inner.accounts);
        let mut addresses = lock(&self.inner.addresses);
        let (account_full, account_ends, newly_locked) =
            match accounts.live(&account, now, limits.window) {
                Some(window) if window.count >= limits.per_account => {
                    let newly_locked = !window.refused;
                    window.refused = true;
                    (true, window.started + limits.window, newly_locked)
                }
                _ => (false, now, false),
            };
        let (address_full, address_ends) = match addresses.live(address, now, limits.window) {
            Some(window) if window.count >= limits.per_address => {
                (true, window.started + limits.window)
            }
            _ => (false, now),
        };
        if account_full || address_full {
            return Err(Refusal::Throttled {
                retry_after: account_ends
                    .max(address_ends)
                    .saturating_duration_since(now)
                    .max(Duration::from_secs(1)),
                account_newly_locked: newly_locked,
            });
        }
        if !addresses.count(address, now, limits.window, limits.per_address) {
            return Err(Refusal::Busy);
        }
        if !accounts.count(&account, now, limits.window, limits.per_account) {
            addresses.uncount(address, now, limits.window);
            return Err(Refusal::Busy);
        }
        Ok(Attempt {
            account,
            address: address.to_string(),
            device: false,
        })
    }

    /// The attempt signed in: its account starts afresh, and it no longer counts against
    /// its address.
    pub async fn succeeded(&self, attempt: Attempt) {
        if let Some(db) = &self.inner.shared {
            return shared::succeeded(db, attempt).await;
        }
        let window = self.inner.limits.window;
        if attempt.device {
            lock(&self.inner.devices).windows.remove(&attempt.account);
            return;
        }
        lock(&self.inner.accounts).windows.remove(&attempt.account);
        lock(&self.inner.addresses).uncount(&attempt.address, Instant::now(), window);
    }

    /// The attempt was never tried (no hash slot): it counts against nobody.
    pub async fn not_tried(&self, attempt: Attempt) {
        if let Some(db) = &self.inner.shared {
            return shared::not_tried(db, attempt).await;
        }
        let (now, window) = (Instant::now(), self.inner.limits.window);
        if attempt.device {
            lock(&self.inner.devices).uncount(&attempt.account, now, window);
            return;
        }
        lock(&self.inner.accounts).uncount(&attempt.account, now, window);
        lock(&self.inner.addresses).uncount(&attempt.address, now, window);
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

    fn throttled(result: Result<Attempt, Refusal>) -> bool {
        matches!(result, Err(Refusal::Throttled { .. }))
    }

    /// From one address, refused attempts naming new emails make no entries, so they can't
    /// push a victim's lockout out of the table.
    #[tokio::test]
    async fn refused_attempts_make_no_entries() {
        let guard = guard(3, 30);
        for _ in 0..3 {
            guard.begin("victim@x.test", "10.0.0.1").await.unwrap();
        }
        assert!(throttled(guard.begin("victim@x.test", "10.0.0.2").await));
        for i in 0..120_000 {
            let _ = guard
                .begin(&format!("random{i}@x.test"), "192.0.2.66")
                .await;
        }
        assert!(lock(&guard.inner.accounts).windows.len() <= 1 + 30);
        assert!(throttled(guard.begin("victim@x.test", "10.0.0.3").await));
    }

    /// From as many addresses as it likes, a flood fills the table with counted attempts:
    /// room is made from windows below the limit, never from a lockout.
    #[tokio::test]
    async fn a_full_table_never_drops_a_lockout() {
        let guard = guard(3, 1_000_000);
        for _ in 0..3 {
            guard.begin("victim@x.test", "10.0.0.1").await.unwrap();
        }
        for i in 0..(CAPACITY + 20_000) {
            let address = format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255);
            guard
                .begin(&format!("random{i}@x.test"), &address)
                .await
                .unwrap();
        }
        assert!(lock(&guard.inner.accounts).windows.len() <= CAPACITY);
        assert!(lock(&guard.inner.accounts).order.len() <= CAPACITY + TIDY_STEPS);
        assert!(throttled(guard.begin("victim@x.test", "10.0.0.3").await));
    }

    /// A table full of lockouts refuses a new key (try again) rather than drop one.
    #[tokio::test]
    async fn a_table_of_lockouts_refuses_new_keys() {
        let guard = guard(1, 1_000_000);
        for i in 0..CAPACITY {
            guard
                .begin(&format!("user{i}@x.test"), "10.0.0.1")
                .await
                .unwrap();
        }
        assert_eq!(
            guard.begin("new@x.test", "10.0.0.1").await.unwrap_err(),
            Refusal::Busy
        );
        assert!(throttled(guard.begin("user0@x.test", "10.0.0.1").await));
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

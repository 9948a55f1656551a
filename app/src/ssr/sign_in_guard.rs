//! Limits on guessing passwords: failed sign-ins per account and per client address within
//! a window, and a cap on the password hashes that run at once (each takes about 19 MiB
//! and tens of milliseconds of a core).
//!
//! An attempt is counted as a failure when it starts, and the count afterwards decides
//! (one atomic step per key, [`crate::ssr::counters`]), so a flood of concurrent guesses
//! can't all slip past the limit; a success gives its count back (and clears the
//! account's). The address is counted first: an attempt its address refuses never touches
//! the account's window, so a flood of made-up emails makes no windows. A refused attempt
//! is taken back from the address; the account keeps it when the account is what refused
//! it (so only the first refusal of a window is "newly locked").
//!
//! An attempt from a browser that holds the account's device cookie
//! ([`crate::ssr::device_cookie`]) is counted against that device alone, with the account's
//! limit: a flood from its address or against its account doesn't lock it out, and a device
//! cookie that fails too often is locked itself.

use crate::ssr::counters::{CountError, Counters, Limit, Window};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How much guessing is allowed.
#[derive(Debug, Clone, Copy)]
pub struct SignInLimits {
    /// Failed sign-ins per account (email) per window.
    pub per_account: u32,
    /// Failed sign-ins per client address per window.
    pub per_address: u32,
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
    counts: Counters,
    hashing: Arc<Semaphore>,
}

impl SignInGuard {
    /// A guard with these limits, counting in this process.
    pub fn new(limits: SignInLimits) -> Self {
        Self::counting_in(limits, Counters::in_memory())
    }

    /// A guard with these limits for the instances on `db`: counting in the database when
    /// it is PostgreSQL (several instances), in this process on SQLite.
    pub fn for_database(limits: SignInLimits, db: &crate::ssr::db::Db) -> Self {
        Self::counting_in(limits, Counters::shared_by_instances_of(db))
    }

    fn counting_in(limits: SignInLimits, counts: Counters) -> Self {
        Self {
            inner: Arc::new(Inner {
                limits,
                counts,
                hashing: Arc::new(Semaphore::new(limits.hashes.max(1))),
            }),
        }
    }

    fn per_account(&self) -> Limit {
        Limit::new(self.inner.limits.per_account, self.inner.limits.window)
    }

    fn per_address(&self) -> Limit {
        Limit::new(self.inner.limits.per_address, self.inner.limits.window)
    }

    /// Checks and counts an attempt to sign in as `account` (the email as typed, any case)
    /// from `address`.
    pub async fn begin(&self, account: &str, address: &str) -> Result<Attempt, Refusal> {
        // No email is longer: a longer "account" is one key, however long.
        let account: String = account
            .trim()
            .to_ascii_lowercase()
            .chars()
            .take(254)
            .collect();
        let attempt = Attempt {
            account: format!("account {account}"),
            address: format!("address {address}"),
            device: false,
        };
        let now = crate::ssr::now();
        let counts = &self.inner.counts;
        let by_address = match counts.add(&attempt.address, self.per_address(), now).await {
            Ok(window) => window,
            Err(CountError::Full) => return Err(self.no_room(&attempt.account, now).await),
            Err(CountError::Store(error)) => return Ok(uncounted(attempt, error)),
        };
        if self.per_address().exceeded_by(&by_address) {
            log(counts.give_back(&attempt.address).await);
            return Err(throttled(by_address, now, false));
        }
        let by_account = match counts.add(&attempt.account, self.per_account(), now).await {
            Ok(window) => window,
            Err(CountError::Full) => {
                log(counts.give_back(&attempt.address).await);
                return Err(Refusal::Busy);
            }
            Err(CountError::Store(error)) => return Ok(uncounted(attempt, error)),
        };
        if !self.per_account().exceeded_by(&by_account) {
            return Ok(attempt);
        }
        log(counts.give_back(&attempt.address).await);
        let newly_locked = by_account.count == i64::from(self.inner.limits.per_account) + 1;
        Err(throttled(by_account, now, newly_locked))
    }

    /// The address could get no window (memory full of lockouts): still throttled when the
    /// account is locked, busy otherwise.
    async fn no_room(&self, account: &str, now: i64) -> Refusal {
        match self.inner.counts.peek(account, now).await {
            Ok(Some(window)) if self.per_account().reached_by(&window) => {
                throttled(window, now, false)
            }
            _ => Refusal::Busy,
        }
    }

    /// Checks and counts an attempt from a browser holding the account's device cookie
    /// (`device`: its key), against that device alone.
    pub async fn begin_device(&self, device: &str) -> Result<Attempt, Refusal> {
        let attempt = Attempt {
            account: format!("device {device}"),
            address: String::new(),
            device: true,
        };
        let now = crate::ssr::now();
        let counts = &self.inner.counts;
        let by_device = match counts.add(&attempt.account, self.per_account(), now).await {
            Ok(window) => window,
            Err(CountError::Full) => return Err(Refusal::Busy),
            Err(CountError::Store(error)) => return Ok(uncounted(attempt, error)),
        };
        if !self.per_account().exceeded_by(&by_device) {
            return Ok(attempt);
        }
        log(counts.give_back(&attempt.account).await);
        Err(throttled(by_device, now, false))
    }

    /// The attempt signed in: its account (or device) starts afresh, and it no longer
    /// counts against its address.
    pub async fn succeeded(&self, attempt: Attempt) {
        log(self.inner.counts.clear(&attempt.account).await);
        if !attempt.device {
            log(self.inner.counts.give_back(&attempt.address).await);
        }
    }

    /// The attempt was never tried (no hash slot): it counts against nobody.
    pub async fn not_tried(&self, attempt: Attempt) {
        log(self.inner.counts.give_back(&attempt.account).await);
        if !attempt.device {
            log(self.inner.counts.give_back(&attempt.address).await);
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

fn throttled(window: Window, now: i64, account_newly_locked: bool) -> Refusal {
    Refusal::Throttled {
        retry_after: window.retry_after(now),
        account_newly_locked,
    }
}

/// A database that can't count lets the attempt through (and says so in the log): the
/// password is still checked, and slowly.
fn uncounted(attempt: Attempt, error: crate::error::AppError) -> Attempt {
    tracing::error!(?error, "sign-in failures not counted");
    attempt
}

fn log(result: Result<(), crate::error::AppError>) {
    if let Err(error) = result {
        tracing::error!(?error, "sign-in throttling not updated");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::counters::memory::CAPACITY;

    fn held(guard: &SignInGuard) -> usize {
        guard.inner.counts.held_in_memory().unwrap_or(usize::MAX)
    }

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
        assert!(held(&guard) <= CAPACITY);
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
        // The victim, the 30 emails its address was allowed, and three addresses.
        assert!(held(&guard) <= 1 + 30 + 3, "{}", held(&guard));
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
        assert!(held(&guard) <= CAPACITY);
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

//! Tokens' **Quota**s, exact across instances: each instance spends calls from a block it
//! leased from the database ([`app::ssr::db::quota`]), so a call costs no database work
//! while its block lasts. Blocks grow while a token is busy (to 65,536 calls) and shrink to
//! an eighth of what is left near the end, so instances share the last calls fairly. A
//! busy lease asks for its successor in the background when a quarter is left, so calls
//! don't wait for the database; a spent lease goes back in the background.
//!
//! A lease is held for [`DB_TTL`] and renewed by [`QuotaLeases::report_every`], which also
//! records what each lease spent; this instance stops spending a lease [`LOCAL_TTL`] after
//! its last renewal, well before the database lets it lapse. A lease idle for
//! [`IDLE_RETURN`] gives its unspent calls back, as every lease does at a graceful stop.
//! Each call spent is written to the [`QuotaJournal`] before it is answered: an instance
//! killed and started again gives back exactly what its leases did not spend. A killed
//! instance that doesn't come back has its leases lapse after [`DB_TTL`]; they count as
//! spent in full, so the quota is never exceeded.

use super::quota_journal::QuotaJournal;
use app::domain::limits::Quota;
use app::ssr::db::quota::{self, Lease, LeaseRequest, WindowKey};
use app::ssr::db::Db;
use app::ssr::now_millis;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How long the database holds a lease after it was taken or last renewed.
pub const DB_TTL: Duration = Duration::from_secs(10);
/// How long this instance spends a lease after it was taken or last renewed.
pub const LOCAL_TTL: Duration = Duration::from_secs(5);
/// How often leases are renewed and what they spent recorded.
pub const REPORT_EVERY: Duration = Duration::from_millis(500);
/// A lease unused this long gives its unspent calls back.
pub const IDLE_RETURN: Duration = Duration::from_secs(2);
/// How long a token found spent waits before asking the database again (another instance
/// may give calls back).
const SPENT_RECHECK: Duration = Duration::from_secs(1);
/// The most tokens whose quota this instance tracks at once.
const MAX_SLOTS: usize = 100_000;
const FIRST_BLOCK: u64 = 16;
const MAX_BLOCK: u64 = 65_536;
/// A busy lease (at least this many calls) asks for the next one when a quarter is left,
/// so calls don't wait for the database when it runs out.
const PREFETCH_FROM: u64 = 64;

/// A lease being spent.
#[derive(Debug)]
struct Held {
    lease: Lease,
    spent: u64,
    /// Where the journal records it (none: unrecorded).
    slot: Option<u32>,
    /// What the journal says it spent: never less than `spent` (see [`Held::spend`]).
    recorded: u64,
    /// Spend no more after this.
    until: Instant,
    taken: Instant,
}

impl Held {
    /// Spends one call. The journal is written before the call is answered, ahead of what
    /// is spent: in steps of 1/64 of the lease (one call for a lease of up to 127), so a
    /// busy lease costs a write every 1,024 calls, not every call. After a SIGKILL the
    /// journal's figure is given back from: never more than was unspent, and at most 1/64
    /// of a large lease short.
    fn spend(&mut self, journal: &QuotaJournal) {
        self.spent += 1;
        if self.spent <= self.recorded {
            return;
        }
        let step = (self.lease.calls / 64).max(1);
        self.recorded = (self.spent + step - 1).min(self.lease.calls);
        if let Some(journal_slot) = self.slot {
            journal.record(journal_slot, self.lease.id, self.recorded);
        }
    }
}

/// One token's quota on this instance.
#[derive(Debug)]
struct Slot {
    window: WindowKey,
    calls: u64,
    held: Option<Held>,
    /// The lease taken ahead, spent when `held` runs out.
    next: Option<Held>,
    /// Whether the next lease is being asked for.
    fetching: bool,
    /// The next block to ask for.
    block: u64,
    /// Calls neither spent nor leased, as the database said at the last lease.
    unleased: u64,
    /// Known spent until then.
    spent_until: Option<Instant>,
    last_call: Instant,
}

/// One call of a token with a quota.
#[derive(Debug, Clone, Copy)]
pub struct QuotaCall {
    /// The token and the window the call falls in.
    pub window: WindowKey,
    pub quota: Quota,
    /// When the window ends (Unix seconds); `None`: never.
    pub refills_at: Option<i64>,
    /// Now, Unix seconds, as the window was chosen.
    pub now: i64,
}

/// What a quota said of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaState {
    /// Allowed: about this many calls are left in the window after it.
    Allowed { remaining: u64 },
    /// Every call of the window is spent (or leased to other instances).
    Spent,
}

/// The database could not be asked: the call is refused, never let through unchecked.
#[derive(Debug, Clone, Copy)]
pub struct Unavailable;

/// The quotas this instance is spending.
#[derive(Clone)]
pub struct QuotaLeases {
    slots: Arc<Mutex<HashMap<i64, Arc<tokio::sync::Mutex<Slot>>>>>,
    journal: Arc<QuotaJournal>,
}

impl Default for QuotaLeases {
    fn default() -> Self {
        Self::new(QuotaJournal::none())
    }
}

impl QuotaLeases {
    /// Leases recorded in `journal`.
    pub fn new(journal: QuotaJournal) -> Self {
        Self {
            slots: Arc::default(),
            journal: Arc::new(journal),
        }
    }

    /// Gives back the leases a killed run left in its journal: exactly what they did not
    /// spend returns to their windows.
    pub async fn recover(pool: &Db, recovered: &[(i64, u64)]) {
        for (id, spent) in recovered {
            match quota::give_back(pool, *id, *spent).await {
                Ok(()) => {
                    tracing::info!(lease = id, spent, "quota lease given back after a restart")
                }
                Err(error) => {
                    tracing::warn!(%error, lease = id, "quota lease not given back; it lapses as spent")
                }
            }
        }
    }

    fn slot(
        &self,
        owner: i64,
        window: WindowKey,
        calls: u64,
    ) -> Option<Arc<tokio::sync::Mutex<Slot>>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get(&owner) {
            return Some(slot.clone());
        }
        if slots.len() >= MAX_SLOTS {
            return None;
        }
        let slot = Arc::new(tokio::sync::Mutex::new(Slot {
            window,
            calls,
            held: None,
            next: None,
            fetching: false,
            block: FIRST_BLOCK,
            unleased: calls,
            spent_until: None,
            last_call: Instant::now(),
        }));
        slots.insert(owner, slot.clone());
        Some(slot)
    }

    /// Spends one call of `call`'s quota in its window.
    pub async fn take(&self, pool: &Db, call: QuotaCall) -> Result<QuotaState, Unavailable> {
        let QuotaCall {
            window,
            quota,
            refills_at,
            now: at,
        } = call;
        let cell = self
            .slot(window.owner, window, quota.calls)
            .ok_or(Unavailable)?;
        let mut slot = cell.lock().await;
        let now = Instant::now();
        slot.last_call = now;
        if slot.window != window || slot.calls != quota.calls {
            // A new window, or the quota changed: what is left of the old leases goes back.
            self.give_back(pool, slot.held.take()).await;
            self.give_back(pool, slot.next.take()).await;
            *slot = Slot {
                window,
                calls: quota.calls,
                held: None,
                next: None,
                fetching: false,
                block: FIRST_BLOCK,
                unleased: quota.calls,
                spent_until: None,
                last_call: now,
            };
        }
        loop {
            let slot = &mut *slot;
            if let Some(held) = slot.held.as_mut() {
                if held.spent < held.lease.calls && now < held.until {
                    held.spend(&self.journal);
                    let left = held.lease.calls - held.spent;
                    let ahead = slot.next.as_ref().map_or(0, |n| n.lease.calls);
                    let remaining = left + ahead + slot.unleased;
                    if held.lease.calls >= PREFETCH_FROM
                        && left * 4 <= held.lease.calls
                        && slot.next.is_none()
                        && !slot.fetching
                    {
                        slot.fetching = true;
                        let ask = (slot.block * 2).min(MAX_BLOCK);
                        self.prefetch(pool, cell.clone(), call, ask);
                    }
                    return Ok(QuotaState::Allowed { remaining });
                }
                // Spent or stale: it goes back (in the background when a successor is
                // ready, so the call doesn't wait), and the successor takes over.
                let held = slot.held.take();
                let quick = held.as_ref().is_some_and(|h| {
                    h.spent == h.lease.calls && now - h.taken < Duration::from_secs(1)
                });
                if quick {
                    slot.block = (slot.block * 2).min(MAX_BLOCK);
                }
                if slot.next.is_some() {
                    let (leases, pool) = (self.clone(), pool.clone());
                    tokio::spawn(async move { leases.give_back(&pool, held).await });
                } else {
                    self.give_back(pool, held).await;
                }
            }
            match slot.next.take() {
                Some(next) if now < next.until => slot.held = Some(next),
                Some(stale) => self.give_back(pool, Some(stale)).await,
                None => break,
            }
        }
        if slot.spent_until.is_some_and(|until| now < until) {
            return Ok(QuotaState::Spent);
        }
        let asked = LeaseRequest {
            window,
            quota,
            refills_at,
            want: slot.block.min((slot.unleased / 8).max(1)),
            expires_at: now_millis() + DB_TTL.as_millis() as i64,
            now: at,
        };
        let leased = quota::lease(pool, asked).await.map_err(|error| {
            tracing::error!(%error, "quota lease not taken; call refused");
            Unavailable
        })?;
        let Some((lease, unleased)) = leased else {
            slot.spent_until = Some(now + SPENT_RECHECK);
            slot.unleased = 0;
            return Ok(QuotaState::Spent);
        };
        slot.spent_until = None;
        slot.unleased = unleased;
        let mut held = Held {
            lease,
            spent: 0,
            slot: self.journal.claim(),
            recorded: 0,
            until: now + LOCAL_TTL,
            taken: now,
        };
        held.spend(&self.journal);
        slot.held = Some(held);
        Ok(QuotaState::Allowed {
            remaining: lease.calls - 1 + unleased,
        })
    }

    /// Asks for the next lease of `call`'s window in the background (`want` calls), for
    /// `cell` to spend when its current one runs out.
    fn prefetch(&self, pool: &Db, cell: Arc<tokio::sync::Mutex<Slot>>, call: QuotaCall, want: u64) {
        let (leases, pool) = (self.clone(), pool.clone());
        tokio::spawn(async move {
            let unleased = cell.lock().await.unleased;
            let asked = LeaseRequest {
                window: call.window,
                quota: call.quota,
                refills_at: call.refills_at,
                want: want.min((unleased / 8).max(1)),
                expires_at: now_millis() + DB_TTL.as_millis() as i64,
                now: call.now,
            };
            let leased = quota::lease(&pool, asked).await;
            let mut slot = cell.lock().await;
            slot.fetching = false;
            let Ok(Some((lease, unleased))) = leased else {
                return;
            };
            let taken = Instant::now();
            let journal_slot = leases.journal.claim();
            if let Some(journal_slot) = journal_slot {
                leases.journal.record(journal_slot, lease.id, 0);
            }
            let next = Held {
                lease,
                spent: 0,
                slot: journal_slot,
                recorded: 0,
                until: taken + LOCAL_TTL,
                taken,
            };
            if slot.window == call.window && slot.calls == call.quota.calls && slot.next.is_none() {
                slot.unleased = unleased;
                slot.next = Some(next);
            } else {
                drop(slot);
                leases.give_back(&pool, Some(next)).await;
            }
        });
    }

    /// Gives back one call spent in `window` by a call another limit then refused (if
    /// this instance still spends the lease it came from).
    pub async fn refund(&self, window: WindowKey) {
        let Some(slot) = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&window.owner)
            .cloned()
        else {
            return;
        };
        let mut slot = slot.lock().await;
        if slot.window != window {
            return;
        }
        // The journal may keep saying more were spent: after a crash that only gives back
        // less, never more.
        if let Some(held) = slot.held.as_mut().filter(|h| h.spent > 0) {
            held.spent -= 1;
        }
    }

    /// About how many calls `owner` has left in `window`, as this instance last saw
    /// them; `None` if it holds nothing of it (or is busy taking a lease). No database work.
    pub fn peek(&self, window: WindowKey) -> Option<u64> {
        let slot = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&window.owner)
            .cloned()?;
        let slot = slot.try_lock().ok()?;
        if slot.window != window {
            return None;
        }
        let held = slot
            .held
            .as_ref()
            .map_or(0, |h| h.lease.calls.saturating_sub(h.spent));
        Some(held + slot.unleased)
    }

    /// Records what every lease spent and renews them; gives back idle ones; forgets
    /// tokens idle for a minute.
    pub async fn report(&self, pool: &Db) {
        let slots: Vec<_> = {
            let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.iter().map(|(id, s)| (*id, s.clone())).collect()
        };
        let started = Instant::now();
        let mut spending = Vec::new();
        for (owner, slot) in &slots {
            // A slot busy taking a lease is reported next time.
            let Ok(mut slot) = slot.try_lock() else {
                continue;
            };
            let idle = started.saturating_duration_since(slot.last_call);
            if idle >= IDLE_RETURN || slot.held.as_ref().is_some_and(|h| started >= h.until) {
                self.give_back(pool, slot.held.take()).await;
            }
            if idle >= IDLE_RETURN || slot.next.as_ref().is_some_and(|n| started >= n.until) {
                self.give_back(pool, slot.next.take()).await;
            }
            for held in [&slot.held, &slot.next].into_iter().flatten() {
                spending.push((*owner, held.lease.id, held.spent));
            }
            if slot.held.is_none()
                && slot.next.is_none()
                && !slot.fetching
                && idle >= Duration::from_secs(60)
            {
                self.slots
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(owner);
            }
        }
        let leases: Vec<(i64, u64)> = spending
            .iter()
            .map(|(_, id, spent)| (*id, *spent))
            .collect();
        let expires_at = now_millis() + DB_TTL.as_millis() as i64;
        match quota::report(pool, &leases, expires_at).await {
            Ok(lost) => {
                for (owner, id, _) in spending {
                    let Some(slot) = slots.iter().find(|(t, _)| *t == owner) else {
                        continue;
                    };
                    let mut slot = slot.1.lock().await;
                    let slot = &mut *slot;
                    for place in [&mut slot.held, &mut slot.next] {
                        let Some(held) = place.as_mut().filter(|h| h.lease.id == id) else {
                            continue;
                        };
                        if lost.contains(&id) {
                            // Lapsed (renewals failed for too long): this instance knows
                            // what it spent, so the rest can still go back.
                            let held = place.take();
                            self.give_back(pool, held).await;
                        } else {
                            held.until = started + LOCAL_TTL;
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "quota leases not renewed"),
        }
    }

    /// Gives every lease's unspent calls back (at a graceful stop).
    pub async fn give_back_all(&self, pool: &Db) {
        let slots: Vec<_> = {
            let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.values().cloned().collect()
        };
        for slot in slots {
            let (held, next) = {
                let mut slot = slot.lock().await;
                (slot.held.take(), slot.next.take())
            };
            self.give_back(pool, held).await;
            self.give_back(pool, next).await;
        }
    }

    /// Reports every [`REPORT_EVERY`] until `stop`, then gives every lease back.
    pub async fn report_every(self, pool: Db, mut stop: watch::Receiver<bool>) {
        let mut tick = tokio::time::interval(REPORT_EVERY);
        let mut sweeps = 0u32;
        loop {
            let stopping = tokio::select! {
                _ = tick.tick() => false,
                _ = stop.wait_for(|stop| *stop) => true,
            };
            if stopping {
                break;
            }
            self.report(&pool).await;
            sweeps = sweeps.wrapping_add(1);
            if sweeps.is_multiple_of(7_200) {
                if let Err(error) = quota::forget_lapsed(&pool).await {
                    tracing::warn!(%error, "lapsed quota leases not forgotten");
                }
            }
        }
        self.give_back_all(&pool).await;
    }

    /// Tokens tracked now.
    pub fn held(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl QuotaLeases {
    /// Ends `held`, its unspent calls back to the window (logged if the database can't be
    /// reached: the lease then lapses and counts as spent), and frees its journal slot.
    async fn give_back(&self, pool: &Db, held: Option<Held>) {
        let Some(held) = held else {
            return;
        };
        if let Err(error) = quota::give_back(pool, held.lease.id, held.spent).await {
            tracing::warn!(%error, "quota lease not given back; it lapses as spent");
        }
        if let Some(slot) = held.slot {
            self.journal.release(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_journal_runs_ahead_of_what_a_lease_spent_by_a_64th() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("quota.journal");
        let (journal, _) = QuotaJournal::open(&path).unwrap();
        let now = Instant::now();
        let held = |calls, slot| Held {
            lease: Lease {
                id: calls as i64,
                calls,
            },
            spent: 0,
            slot,
            recorded: 0,
            until: now,
            taken: now,
        };
        let mut large = held(1_280, journal.claim());
        let mut small = held(100, journal.claim());
        for _ in 0..21 {
            large.spend(&journal);
        }
        small.spend(&journal);
        small.spend(&journal);
        // 21 spent of 1,280: written at 1 (as 20) and at 21 (as 40).
        assert_eq!((large.spent, large.recorded), (21, 40));
        // A small lease is written call by call: exact.
        assert_eq!((small.spent, small.recorded), (2, 2));
        drop(journal);
        let (_, recovered) = QuotaJournal::open(&path).unwrap();
        assert_eq!(recovered, [(1_280, 40), (100, 2)]);
    }
}

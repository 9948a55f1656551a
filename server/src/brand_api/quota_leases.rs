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
//! Each call spent is written to the [`QuotaJournal`] before it is answered (a call whose
//! write fails is refused), and every lease carries the run's holder id in the database:
//! an instance killed and started again gives back, before it serves, what each of its
//! leases did not spend (all of a lease taken and not yet journaled). A killed instance
//! that doesn't come back has its leases lapse after [`DB_TTL`]; they count as spent in
//! full, so the quota is never exceeded.

use super::quota_journal::QuotaJournal;

mod held;
mod upkeep;
use app::domain::limits::Quota;
use app::ssr::db::quota::{self, Lease, LeaseRequest, WindowKey};
use app::ssr::db::Db;
use app::ssr::now_millis;
use held::Held;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

impl Slot {
    fn new(window: WindowKey, calls: u64, now: Instant) -> Self {
        Self {
            window,
            calls,
            held: None,
            next: None,
            fetching: false,
            block: FIRST_BLOCK,
            unleased: calls,
            spent_until: None,
            last_call: now,
        }
    }
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

/// One owner's quota: its state behind a plain lock (never held across an await, so a
/// call spending a lease's calls never waits on another task), and a gate that lets one
/// call at a time ask the database for more.
#[derive(Debug)]
struct Cell {
    slot: Mutex<Slot>,
    gate: tokio::sync::Mutex<()>,
}

impl Cell {
    fn lock(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// What the plain-lock pass of a call decided.
enum Pass {
    Done(QuotaState),
    /// The journal could not be written: the call is refused.
    NotJournaled,
    /// The database must be asked; these leases go back first.
    Ask(Vec<Held>),
}

/// The quotas this instance is spending.
#[derive(Clone)]
pub struct QuotaLeases {
    slots: Arc<Mutex<HashMap<i64, Arc<Cell>>>>,
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

    fn cell(&self, owner: i64, window: WindowKey, calls: u64) -> Option<Arc<Cell>> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(cell) = slots.get(&owner) {
            return Some(cell.clone());
        }
        if slots.len() >= MAX_SLOTS {
            return None;
        }
        let cell = Arc::new(Cell {
            slot: Mutex::new(Slot::new(window, calls, Instant::now())),
            gate: tokio::sync::Mutex::new(()),
        });
        slots.insert(owner, cell.clone());
        Some(cell)
    }

    /// Spends one call of `call`'s quota in its window.
    pub async fn take(&self, pool: &Db, call: QuotaCall) -> Result<QuotaState, Unavailable> {
        let cell = self
            .cell(call.window.owner, call.window, call.quota.calls)
            .ok_or(Unavailable)?;
        let now = Instant::now();
        let back = match self.pass(pool, &cell, call, now) {
            Pass::Done(state) => return Ok(state),
            Pass::NotJournaled => return Err(Unavailable),
            Pass::Ask(back) => back,
        };
        // One call at a time asks the database; the others wait here, then find its lease.
        let _gate = cell.gate.lock().await;
        for held in back {
            self.give_back(pool, Some(held)).await;
        }
        match self.pass(pool, &cell, call, now) {
            Pass::Done(state) => return Ok(state),
            Pass::NotJournaled => return Err(Unavailable),
            Pass::Ask(back) => {
                for held in back {
                    self.give_back(pool, Some(held)).await;
                }
            }
        }
        let asked = {
            let slot = cell.lock();
            if slot.spent_until.is_some_and(|until| now < until) {
                None
            } else {
                Some(LeaseRequest {
                    window: call.window,
                    quota: call.quota,
                    refills_at: call.refills_at,
                    want: slot.block.min((slot.unleased / 8).max(1)),
                    expires_at: now_millis() + DB_TTL.as_millis() as i64,
                    now: call.now,
                    holder: self.journal.holder(),
                })
            }
        };
        let Some(asked) = asked else {
            return Ok(QuotaState::Spent);
        };
        let leased = quota::lease(pool, asked).await.map_err(|error| {
            tracing::error!(%error, "quota lease not taken; call refused");
            Unavailable
        })?;
        let (state, previous) = {
            let mut slot = cell.lock();
            match leased {
                None => {
                    slot.spent_until = Some(now + SPENT_RECHECK);
                    slot.unleased = 0;
                    (Ok(QuotaState::Spent), None)
                }
                Some((lease, unleased)) => {
                    slot.spent_until = None;
                    slot.unleased = unleased;
                    // A lease the journal can't record goes back unspent.
                    match self.hold(lease, now) {
                        Some(mut held) => {
                            if held.spend(&self.journal) {
                                let remaining = lease.calls - 1 + unleased;
                                (
                                    Ok(QuotaState::Allowed { remaining }),
                                    slot.held.replace(held),
                                )
                            } else {
                                (Err(Unavailable), Some(held))
                            }
                        }
                        None => (Err(Unavailable), Some(Held::unjournaled(lease, now))),
                    }
                }
            }
        };
        self.give_back(pool, previous).await;
        state
    }

    /// Spends a call from what `cell` holds, under its plain lock; or says the database
    /// must be asked (and what goes back first).
    fn pass(&self, pool: &Db, cell: &Arc<Cell>, call: QuotaCall, now: Instant) -> Pass {
        let mut back = Vec::new();
        let mut guard = cell.lock();
        let slot = &mut *guard;
        slot.last_call = now;
        if slot.window != call.window || slot.calls != call.quota.calls {
            // A new window, or the quota changed: what is left of the old leases goes back.
            back.extend(slot.held.take());
            back.extend(slot.next.take());
            *slot = Slot::new(call.window, call.quota.calls, now);
        }
        loop {
            if let Some(held) = slot.held.as_mut() {
                if held.spent < held.lease.calls && now < held.until {
                    if !held.spend(&self.journal) {
                        return Pass::NotJournaled;
                    }
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
                    return Pass::Done(QuotaState::Allowed { remaining });
                }
                // Spent or stale: it goes back (in the background when a successor is
                // ready, so the call doesn't wait), and the successor takes over.
                let quick =
                    held.spent == held.lease.calls && now - held.taken < Duration::from_secs(1);
                if quick {
                    slot.block = (slot.block * 2).min(MAX_BLOCK);
                }
                let old = slot.held.take();
                if slot.next.is_some() {
                    let (leases, pool) = (self.clone(), pool.clone());
                    tokio::spawn(async move { leases.give_back(&pool, old).await });
                } else {
                    back.extend(old);
                }
            }
            match slot.next.take() {
                Some(next) if now < next.until => slot.held = Some(next),
                Some(stale) => back.push(stale),
                None => break,
            }
        }
        if back.is_empty() && slot.spent_until.is_some_and(|until| now < until) {
            return Pass::Done(QuotaState::Spent);
        }
        Pass::Ask(back)
    }

    /// Asks for the next lease of `call`'s window in the background (`want` calls), for
    /// `cell` to spend when its current one runs out.
    fn prefetch(&self, pool: &Db, cell: Arc<Cell>, call: QuotaCall, want: u64) {
        let (leases, pool) = (self.clone(), pool.clone());
        tokio::spawn(async move {
            let unleased = cell.lock().unleased;
            let asked = LeaseRequest {
                window: call.window,
                quota: call.quota,
                refills_at: call.refills_at,
                want: want.min((unleased / 8).max(1)),
                expires_at: now_millis() + DB_TTL.as_millis() as i64,
                now: call.now,
                holder: leases.journal.holder(),
            };
            let leased = quota::lease(&pool, asked).await;
            let Ok(Some((lease, unleased))) = leased else {
                cell.lock().fetching = false;
                return;
            };
            let Some(next) = leases.hold(lease, Instant::now()) else {
                cell.lock().fetching = false;
                let unused = Held::unjournaled(lease, Instant::now());
                leases.give_back(&pool, Some(unused)).await;
                return;
            };
            let unused = {
                let mut slot = cell.lock();
                slot.fetching = false;
                let fits = slot.window == call.window && slot.calls == call.quota.calls;
                if fits && slot.next.is_none() {
                    slot.unleased = unleased;
                    slot.next = Some(next);
                    None
                } else {
                    Some(next)
                }
            };
            if unused.is_some() {
                leases.give_back(&pool, unused).await;
            }
        });
    }

    /// `lease` as this instance spends it, from `now`, with a journal slot; `None` if the
    /// journal is kept and has no slot free (the lease can't be spent).
    fn hold(&self, lease: Lease, now: Instant) -> Option<Held> {
        let slot = self.journal.claim();
        if slot.is_none() && self.journal.is_kept() {
            tracing::warn!("quota journal full; the call is refused");
            return None;
        }
        Some(Held {
            lease,
            spent: 0,
            slot,
            recorded: 0,
            until: now + LOCAL_TTL,
            taken: now,
        })
    }

    /// Gives back one call spent in `window` by a call another limit then refused (if
    /// this instance still spends the lease it came from).
    pub fn refund(&self, window: WindowKey) {
        let Some(slot) = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&window.owner)
            .cloned()
        else {
            return;
        };
        let mut slot = slot.lock();
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
    /// them; `None` if it holds nothing of it. No database work.
    pub fn peek(&self, window: WindowKey) -> Option<u64> {
        let slot = self
            .slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&window.owner)
            .cloned()?;
        let slot = slot.lock();
        if slot.window != window {
            return None;
        }
        let held = slot
            .held
            .as_ref()
            .map_or(0, |h| h.lease.calls.saturating_sub(h.spent));
        Some(held + slot.unleased)
    }

    /// Tokens tracked now.
    pub fn held(&self) -> usize {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

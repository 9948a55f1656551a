//! The leases' upkeep: what they spent reported and their holds renewed every
//! [`REPORT_EVERY`], idle ones given back, every one given back at a graceful stop, and
//! those a killed run left in its journal given back when the next one starts.

use super::{Held, QuotaLeases, DB_TTL, IDLE_RETURN, LOCAL_TTL, REPORT_EVERY};
use crate::brand_api::quota_journal::Recovered;
use app::ssr::db::quota;
use app::ssr::db::Db;
use app::ssr::now_millis;
use std::time::{Duration, Instant};
use tokio::sync::watch;

impl QuotaLeases {
    /// Gives back the leases a killed run left (`recovered` from its journal): what each
    /// did not spend returns to its window, all of one it took and never journaled.
    pub async fn recover(pool: &Db, recovered: &Recovered) {
        let Some(holder) = recovered.holder else {
            return;
        };
        match quota::give_back_run(pool, holder, &recovered.leases).await {
            Ok(ended) => {
                for (lease, unspent) in ended {
                    tracing::info!(lease, unspent, "quota lease given back after a restart");
                }
            }
            Err(error) => {
                tracing::warn!(%error, "quota leases not given back; they lapse as spent")
            }
        }
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
        for (owner, cell) in &slots {
            // A cell whose call is asking the database is reported next time.
            let Ok(_gate) = cell.gate.try_lock() else {
                continue;
            };
            let (back, forget) = {
                let mut slot = cell.lock();
                let idle = started.saturating_duration_since(slot.last_call);
                let mut back = Vec::new();
                if idle >= IDLE_RETURN || slot.held.as_ref().is_some_and(|h| started >= h.until) {
                    back.extend(slot.held.take());
                }
                if idle >= IDLE_RETURN || slot.next.as_ref().is_some_and(|n| started >= n.until) {
                    back.extend(slot.next.take());
                }
                for held in [&slot.held, &slot.next].into_iter().flatten() {
                    spending.push((*owner, held.lease.id, held.spent));
                }
                let forget = slot.held.is_none()
                    && slot.next.is_none()
                    && !slot.fetching
                    && idle >= Duration::from_secs(60);
                (back, forget)
            };
            for held in back {
                self.give_back(pool, Some(held)).await;
            }
            if forget {
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
                    let Some((_, cell)) = slots.iter().find(|(t, _)| *t == owner) else {
                        continue;
                    };
                    let lapsed = {
                        let mut guard = cell.lock();
                        let slot = &mut *guard;
                        let mut lapsed = None;
                        for place in [&mut slot.held, &mut slot.next] {
                            let Some(held) = place.as_mut().filter(|h| h.lease.id == id) else {
                                continue;
                            };
                            if lost.contains(&id) {
                                // Lapsed (renewals failed for too long): this instance knows
                                // what it spent, so the rest can still go back.
                                lapsed = place.take();
                            } else {
                                held.until = started + LOCAL_TTL;
                            }
                        }
                        lapsed
                    };
                    self.give_back(pool, lapsed).await;
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
        for cell in slots {
            let (held, next) = {
                let mut slot = cell.lock();
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

    /// Ends `held`, its unspent calls back to the window, and frees its journal slot
    /// (logged if the database can't be reached: the lease then lapses and counts as
    /// spent).
    pub(super) async fn give_back(&self, pool: &Db, held: Option<Held>) {
        let Some(held) = held else {
            return;
        };
        if let Err(error) = quota::give_back(pool, held.lease.id, held.spent).await {
            // Its journal slot stays: should this run be killed, the next gives back what
            // the journal says, not all of it.
            tracing::warn!(%error, "quota lease not given back; it lapses as spent");
            return;
        }
        if let Some(slot) = held.slot {
            self.journal.release(slot);
        }
    }
}

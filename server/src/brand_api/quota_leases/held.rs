//! A lease as this instance spends it, and what the journal says of it.

use crate::brand_api::quota_journal::QuotaJournal;
use app::ssr::db::quota::Lease;
use std::time::Instant;

/// A lease being spent.
#[derive(Debug)]
pub(super) struct Held {
    pub(super) lease: Lease,
    pub(super) spent: u64,
    /// Where the journal records it (none: unrecorded).
    pub(super) slot: Option<u32>,
    /// What the journal says it spent: never less than `spent` (see [`Held::spend`]).
    pub(super) recorded: u64,
    /// Spend no more after this.
    pub(super) until: Instant,
    pub(super) taken: Instant,
}

impl Held {
    /// A lease nothing was spent from and no journal slot holds (it only goes back).
    pub(super) fn unjournaled(lease: Lease, now: Instant) -> Self {
        Self {
            lease,
            spent: 0,
            slot: None,
            recorded: 0,
            until: now,
            taken: now,
        }
    }

    /// Spends one call; `false` (nothing spent) if the journal could not be written, and
    /// the call must be refused. The journal is written before the call is answered, ahead
    /// of what is spent: in steps of 1/64 of the lease (one call for a lease of up to 127),
    /// so a busy lease costs a write every 1,024 calls, not every call. After a SIGKILL the
    /// journal's figure is given back from: never more than was unspent, and at most 1/64
    /// of a large lease short.
    pub(super) fn spend(&mut self, journal: &QuotaJournal) -> bool {
        if self.spent < self.recorded {
            self.spent += 1;
            return true;
        }
        let step = (self.lease.calls / 64).max(1);
        let recorded = (self.spent + step).min(self.lease.calls);
        if let Some(journal_slot) = self.slot {
            if journal
                .record(journal_slot, self.lease.id, recorded)
                .is_err()
            {
                return false;
            }
        }
        self.recorded = recorded;
        self.spent += 1;
        true
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
        assert_eq!(recovered.leases, [(1_280, 40), (100, 2)]);
    }
}

//! What this instance's quota leases have spent, written to a small file before a call is
//! answered (ahead of what is spent, by 1/64 of the lease: see `quota_leases`), so that an
//! instance killed with SIGKILL and started again gives back the calls its leases did not
//! spend (the file's pages outlive the process).
//!
//! One 16-byte slot per lease being spent: its id and the calls spent, written in place
//! with one `pwrite`. The header holds this run's holder id (every lease it takes carries
//! it in the database, so the next run finds the leases taken and not yet journaled: they
//! spent nothing) and the kernel's boot id: after a crash of the machine (the page cache
//! lost) the file is not trusted, and the leases lapse and count as spent in full, as they
//! do when no journal is kept. The file is locked: two instances can't share one.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

const MAGIC: &[u8; 8] = b"TSQJ0002";
const HEADER: u64 = 64;
/// Where the boot id starts in the header (after the magic and the holder id).
const BOOT_AT: usize = 16;
const SLOT: u64 = 16;
/// The most leases recorded at once; past it a lease is spent unrecorded.
const MAX_SLOTS: u32 = 1 << 20;

/// The journal, or none (tests; then a killed instance's leases only lapse).
pub struct QuotaJournal {
    file: Option<File>,
    holder: i64,
    slots: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    free: Vec<u32>,
    next: u32,
}

/// What a previous run left in the journal, read at start.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Recovered {
    /// The run's holder id; `None` if the file is new or not trusted.
    pub holder: Option<i64>,
    /// Its leases' spending: `(lease id, calls spent)`.
    pub leases: Vec<(i64, u64)>,
}

/// A journal slot could not be written: the call it was for must not be answered.
#[derive(Debug)]
pub struct NotWritten;

impl QuotaJournal {
    /// No journal.
    pub fn none() -> Self {
        Self {
            file: None,
            holder: new_holder(),
            slots: Mutex::default(),
        }
    }

    /// This run's holder id, written on every lease it takes.
    pub fn holder(&self) -> i64 {
        self.holder
    }

    /// Whether a journal is kept (then a lease is spent only once it has a slot).
    pub fn is_kept(&self) -> bool {
        self.file.is_some()
    }

    /// Opens (or creates) the journal at `path`, locked for this process, and reads what a
    /// previous run left in it; the file then starts empty.
    pub fn open(path: &Path) -> io::Result<(Self, Recovered)> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        file.try_lock().map_err(|_| {
            io::Error::other(format!(
                "{} is in use by another instance: give each instance its own \
                 TOKENSMITH_QUOTA_JOURNAL",
                path.display()
            ))
        })?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let boot = boot_id();
        let recovered = read(&bytes, &boot);
        file.set_len(0)?;
        let holder = new_holder();
        let boot = &boot[..boot.len().min(HEADER as usize - BOOT_AT)];
        let mut header = [0u8; HEADER as usize];
        header[..8].copy_from_slice(MAGIC);
        header[8..BOOT_AT].copy_from_slice(&holder.to_le_bytes());
        header[BOOT_AT..BOOT_AT + boot.len()].copy_from_slice(boot);
        file.write_all_at(&header, 0)?;
        file.sync_data()?;
        Ok((
            Self {
                file: Some(file),
                holder,
                slots: Mutex::default(),
            },
            recovered,
        ))
    }

    /// A slot for a new lease; `None` without a journal or when every slot is taken.
    pub fn claim(&self) -> Option<u32> {
        self.file.as_ref()?;
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.free.pop() {
            return Some(slot);
        }
        if slots.next >= MAX_SLOTS {
            return None;
        }
        slots.next += 1;
        Some(slots.next - 1)
    }

    /// Records that lease `lease_id` in `slot` has spent `spent` calls.
    pub fn record(&self, slot: u32, lease_id: i64, spent: u64) -> Result<(), NotWritten> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let mut bytes = [0u8; SLOT as usize];
        bytes[..8].copy_from_slice(&lease_id.to_le_bytes());
        bytes[8..].copy_from_slice(&spent.to_le_bytes());
        file.write_all_at(&bytes, HEADER + u64::from(slot) * SLOT)
            .map_err(|error| {
                tracing::warn!(%error, "quota journal not written; the call is refused");
                NotWritten
            })
    }

    /// The lease in `slot` was given back: the slot is empty again (if it can't be
    /// emptied it stays taken; the next run then gives back only what it recorded).
    pub fn release(&self, slot: u32) {
        if self.record(slot, 0, 0).is_err() {
            return;
        }
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .free
            .push(slot);
    }
}

/// The run and the leases a journal's bytes record, if it was written since this boot.
fn read(bytes: &[u8], boot: &[u8]) -> Recovered {
    let header = HEADER as usize;
    if bytes.len() < header || &bytes[..8] != MAGIC {
        return Recovered::default();
    }
    let boot = &boot[..boot.len().min(header - BOOT_AT)];
    if boot.is_empty() || &bytes[BOOT_AT..BOOT_AT + boot.len()] != boot {
        tracing::warn!(
            "the quota journal was written before the machine restarted: not trusted; \
             its run's leases lapse and count as spent"
        );
        return Recovered::default();
    }
    let leases = bytes[header..]
        .chunks_exact(SLOT as usize)
        .filter_map(|slot| {
            let id = i64::from_le_bytes(slot[..8].try_into().ok()?);
            let spent = u64::from_le_bytes(slot[8..].try_into().ok()?);
            (id != 0).then_some((id, spent))
        })
        .collect();
    let holder = i64::from_le_bytes(bytes[8..BOOT_AT].try_into().unwrap_or_default());
    Recovered {
        holder: Some(holder),
        leases,
    }
}

/// A run's holder id: random, never 0 (a lease nobody will recover).
fn new_holder() -> i64 {
    loop {
        let holder = rand::random::<i64>();
        if holder != 0 {
            return holder;
        }
    }
}

/// The kernel's id for this boot (empty where there is none).
fn boot_id() -> Vec<u8> {
    std::fs::read("/proc/sys/kernel/random/boot_id")
        .map(|id| id.trim_ascii().to_vec())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_left_by_a_killed_run_is_read_back_once_with_its_holder() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("quota.journal");
        let (journal, recovered) = QuotaJournal::open(&path).unwrap();
        assert_eq!(recovered, Recovered::default());
        let (a, b) = (journal.claim().unwrap(), journal.claim().unwrap());
        journal.record(a, 41, 3).unwrap();
        journal.record(b, 42, 7).unwrap();
        journal.record(a, 41, 4).unwrap();
        journal.release(b);
        assert_eq!(journal.claim(), Some(b));
        // Locked while this run holds it.
        assert!(QuotaJournal::open(&path).is_err());
        let holder = journal.holder();
        drop(journal);
        let (next, recovered) = QuotaJournal::open(&path).unwrap();
        assert_eq!(recovered.holder, Some(holder));
        assert_eq!(recovered.leases, [(41, 4)]);
        assert_ne!(next.holder(), holder, "each run holds its own leases");
        drop(next);
        let (_, again) = QuotaJournal::open(&path).unwrap();
        assert!(again.leases.is_empty(), "read once");
    }

    #[test]
    fn a_journal_from_another_boot_is_not_trusted() {
        let mut bytes = vec![0u8; (HEADER + SLOT) as usize];
        bytes[..8].copy_from_slice(MAGIC);
        bytes[8..BOOT_AT].copy_from_slice(&7i64.to_le_bytes());
        bytes[BOOT_AT..BOOT_AT + 3].copy_from_slice(b"old");
        bytes[HEADER as usize] = 9;
        assert_eq!(read(&bytes, b"new"), Recovered::default());
        bytes[BOOT_AT..BOOT_AT + 3].copy_from_slice(b"new");
        let trusted = read(&bytes, b"new");
        assert_eq!(trusted.holder, Some(7));
        assert_eq!(trusted.leases, [(9, 0)]);
        assert_eq!(read(b"garbage", b"new"), Recovered::default());
    }
}

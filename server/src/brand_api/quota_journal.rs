//! What this instance's quota leases have spent, written to a small file before a call is
//! answered (ahead of what is spent, by 1/64 of the lease: see `quota_leases`), so that an
//! instance killed with SIGKILL and started again gives back the calls its leases did not
//! spend (the file's pages outlive the process).
//!
//! One 16-byte slot per lease being spent: its id and the calls spent, written in place
//! with one `pwrite`. The header holds the kernel's boot id: after a crash of the machine
//! (the page cache lost) the file is not trusted, and the leases lapse and count as spent
//! in full, as they do when no journal is kept. The file is locked: two instances can't
//! share one.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

const MAGIC: &[u8; 8] = b"TSQJ0001";
const HEADER: u64 = 64;
const SLOT: u64 = 16;
/// The most leases recorded at once; past it a lease is spent unrecorded.
const MAX_SLOTS: u32 = 1 << 20;

/// The journal, or none (tests; then a killed instance's leases only lapse).
pub struct QuotaJournal {
    file: Option<File>,
    slots: Mutex<Slots>,
}

#[derive(Default)]
struct Slots {
    free: Vec<u32>,
    next: u32,
}

/// A lease's spending found in the journal at start: `(lease id, calls spent)`.
pub type Recovered = Vec<(i64, u64)>;

impl QuotaJournal {
    /// No journal.
    pub fn none() -> Self {
        Self {
            file: None,
            slots: Mutex::default(),
        }
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
        let mut header = [0u8; HEADER as usize];
        header[..8].copy_from_slice(MAGIC);
        header[8..8 + boot.len().min(56)].copy_from_slice(&boot[..boot.len().min(56)]);
        file.write_all_at(&header, 0)?;
        Ok((
            Self {
                file: Some(file),
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
    pub fn record(&self, slot: u32, lease_id: i64, spent: u64) {
        let Some(file) = &self.file else {
            return;
        };
        let mut bytes = [0u8; SLOT as usize];
        bytes[..8].copy_from_slice(&lease_id.to_le_bytes());
        bytes[8..].copy_from_slice(&spent.to_le_bytes());
        if let Err(error) = file.write_all_at(&bytes, HEADER + u64::from(slot) * SLOT) {
            tracing::warn!(%error, "quota journal not written");
        }
    }

    /// The lease in `slot` was given back: the slot is empty again.
    pub fn release(&self, slot: u32) {
        self.record(slot, 0, 0);
        self.slots
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .free
            .push(slot);
    }
}

/// The leases a journal's bytes record, if it was written since this boot.
fn read(bytes: &[u8], boot: &[u8]) -> Recovered {
    let header = HEADER as usize;
    if bytes.len() < header || &bytes[..8] != MAGIC {
        return Vec::new();
    }
    let written_boot = &bytes[8..8 + boot.len().min(56)];
    if boot.is_empty() || written_boot != &boot[..boot.len().min(56)] {
        if bytes[header..].iter().any(|b| *b != 0) {
            tracing::warn!(
                "the quota journal was written before the machine restarted: not trusted; \
                 its leases lapse and count as spent"
            );
        }
        return Vec::new();
    }
    bytes[header..]
        .chunks_exact(SLOT as usize)
        .filter_map(|slot| {
            let id = i64::from_le_bytes(slot[..8].try_into().ok()?);
            let spent = u64::from_le_bytes(slot[8..].try_into().ok()?);
            (id != 0).then_some((id, spent))
        })
        .collect()
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
    fn a_journal_left_by_a_killed_run_is_read_back_once() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("quota.journal");
        let (journal, recovered) = QuotaJournal::open(&path).unwrap();
        assert!(recovered.is_empty());
        let (a, b) = (journal.claim().unwrap(), journal.claim().unwrap());
        journal.record(a, 41, 3);
        journal.record(b, 42, 7);
        journal.record(a, 41, 4);
        journal.release(b);
        assert_eq!(journal.claim(), Some(b));
        // Locked while this run holds it.
        assert!(QuotaJournal::open(&path).is_err());
        drop(journal);
        let (_, recovered) = QuotaJournal::open(&path).unwrap();
        assert_eq!(recovered, [(41, 4)]);
        let (_, again) = QuotaJournal::open(&path).unwrap();
        assert!(again.is_empty(), "read once");
    }

    #[test]
    fn a_journal_from_another_boot_is_not_trusted() {
        let mut bytes = vec![0u8; (HEADER + SLOT) as usize];
        bytes[..8].copy_from_slice(MAGIC);
        bytes[8..11].copy_from_slice(b"old");
        bytes[HEADER as usize] = 9;
        assert!(read(&bytes, b"new").is_empty());
        bytes[8..11].copy_from_slice(b"new");
        assert_eq!(read(&bytes, b"new"), [(9, 0)]);
        assert!(read(b"garbage", b"new").is_empty());
    }
}

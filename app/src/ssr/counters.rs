//! Events per key in fixed windows: the one interface under every limit (the sign-in
//! throttle, the brand API's rate limits). A window starts with a key's first event and
//! lasts the limit's length; the next event after it ends starts a new one.
//!
//! One instance (SQLite) counts in its memory ([`memory::Table`], bounded); several
//! instances (PostgreSQL) count in the database, so a limit holds whichever instance a load
//! balancer picks ([`crate::ssr::db::counter_windows`], one atomic upsert per event). Both
//! answer the same: an event is counted first, and the count afterwards decides.

pub mod memory;

use crate::error::AppError;
use crate::ssr::db::{counter_windows, Db, Engine};
use std::sync::Arc;
use std::time::Duration;

/// At most `events` per window of `seconds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Events allowed in one window.
    pub events: u32,
    /// How long a window lasts.
    pub seconds: i64,
}

impl Limit {
    /// At most `events` per window of `window`.
    pub fn new(events: u32, window: Duration) -> Self {
        Self {
            events,
            seconds: i64::try_from(window.as_secs()).unwrap_or(i64::MAX).max(1),
        }
    }

    /// Whether a window that has counted `count` events is past this limit.
    pub fn exceeded_by(&self, window: &Window) -> bool {
        window.count > i64::from(self.events)
    }

    /// Whether one more event would pass this limit.
    pub fn reached_by(&self, window: &Window) -> bool {
        window.count >= i64::from(self.events)
    }
}

/// A key's live window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// When it ends, Unix seconds.
    pub ends: i64,
    /// Events counted in it.
    pub count: i64,
}

impl From<counter_windows::Stored> for Window {
    fn from((ends, count): counter_windows::Stored) -> Self {
        Self { ends, count }
    }
}

impl Window {
    /// How long until it ends (at least a second): the `Retry-After` of a refusal.
    pub fn retry_after(&self, now: i64) -> Duration {
        Duration::from_secs(u64::try_from(self.ends - now).unwrap_or(1).max(1))
    }
}

/// Why an event wasn't counted.
#[derive(Debug)]
pub enum CountError {
    /// The in-memory table is full of lockouts: the key has no window and can't get one.
    Full,
    /// The database didn't answer.
    Store(AppError),
}

/// Where windows live.
#[derive(Clone)]
pub enum Counters {
    /// In this process.
    Memory(Arc<memory::Table>),
    /// In the database every instance shares.
    Database(Db),
}

impl Counters {
    /// Counting in this process, in a table of [`memory::CAPACITY`] windows.
    pub fn in_memory() -> Self {
        Self::Memory(Arc::new(memory::Table::with_capacity(memory::CAPACITY)))
    }

    /// Where the instances on `db` share their counts: the database on PostgreSQL (several
    /// instances), this process on SQLite (one).
    pub fn shared_by_instances_of(db: &Db) -> Self {
        match db.engine() {
            Engine::Sqlite => Self::in_memory(),
            Engine::Postgres => Self::Database(db.clone()),
        }
    }

    /// Counts one event of `key`, at `now`, in a window of `limit`'s length: the window
    /// afterwards.
    pub async fn add(&self, key: &str, limit: Limit, now: i64) -> Result<Window, CountError> {
        match self {
            Self::Memory(table) => table.add(key, limit, now).ok_or(CountError::Full),
            Self::Database(db) => counter_windows::add(db, key, limit.seconds, now)
                .await
                .map(Window::from)
                .map_err(CountError::Store),
        }
    }

    /// `key`'s live window at `now`, if it has one (counting nothing).
    pub async fn peek(&self, key: &str, now: i64) -> Result<Option<Window>, AppError> {
        match self {
            Self::Memory(table) => Ok(table.peek(key, now)),
            Self::Database(db) => Ok(counter_windows::peek(db, key, now).await?.map(Window::from)),
        }
    }

    /// Takes one event of `key` back.
    pub async fn give_back(&self, key: &str) -> Result<(), AppError> {
        match self {
            Self::Memory(table) => {
                table.give_back(key);
                Ok(())
            }
            Self::Database(db) => counter_windows::give_back(db, key).await,
        }
    }

    /// Forgets `key`'s window.
    pub async fn clear(&self, key: &str) -> Result<(), AppError> {
        match self {
            Self::Memory(table) => {
                table.clear(key);
                Ok(())
            }
            Self::Database(db) => counter_windows::clear(db, key).await,
        }
    }

    /// Windows held in this process's memory (`None` when they live in the database).
    pub fn held_in_memory(&self) -> Option<usize> {
        match self {
            Self::Memory(table) => Some(table.len()),
            Self::Database(_) => None,
        }
    }
}

//! SQLite connections for statements outside a transaction, taken and given back without
//! sqlx's pool.
//!
//! sqlx's pool pings every connection it gets back, from a task it spawns for the purpose:
//! for SQLite a round trip to the connection's thread after every statement, as many
//! thread wake-ups as the statement itself (about a sixth of the API page's CPU). A SQLite
//! connection is a thread of this process that runs its commands one after another, so
//! there is nothing a ping would find: a connection whose statement was abandoned (its
//! future dropped) finishes that statement before it starts the next. A connection whose
//! thread is gone is dropped instead of given back.

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::ConnectOptions;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Up to `max` connections, opened when first needed and kept open.
#[derive(Debug)]
pub struct Connections {
    options: SqliteConnectOptions,
    idle: Mutex<Vec<SqliteConnection>>,
    /// One per connection that may be in use; closed by [`Connections::close`].
    permits: Semaphore,
    open: AtomicU32,
    /// How long [`Connections::take`] waits for a connection (sqlx's pool default).
    wait: Duration,
}

/// A connection taken from [`Connections`]; given back when dropped.
pub struct Taken<'a> {
    connection: Option<SqliteConnection>,
    from: &'a Connections,
    _permit: SemaphorePermit<'a>,
}

impl Connections {
    /// Up to `max` connections opened with `options`.
    pub fn new(options: SqliteConnectOptions, max: u32) -> Self {
        Self {
            options,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(usize::try_from(max).unwrap_or(1).max(1)),
            open: AtomicU32::new(0),
            wait: Duration::from_secs(30),
        }
    }

    /// An idle connection, or a new one if fewer than `max` are open; waits for one to be
    /// given back otherwise (`PoolTimedOut` after 30 s, `PoolClosed` once closed).
    pub async fn take(&self) -> Result<Taken<'_>, sqlx::Error> {
        let permit = match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(sqlx::Error::PoolClosed),
            Err(_) => return Err(sqlx::Error::PoolTimedOut),
        };
        let idle = self.lock_idle().pop();
        let connection = match idle {
            Some(connection) => connection,
            None => {
                let connection = self.options.connect().await?;
                self.open.fetch_add(1, Ordering::Relaxed);
                connection
            }
        };
        Ok(Taken {
            connection: Some(connection),
            from: self,
            _permit: permit,
        })
    }

    /// Connections open, and how many of them are idle.
    pub fn counts(&self) -> (u32, usize) {
        (self.open.load(Ordering::Relaxed), self.lock_idle().len())
    }

    /// Whether [`Connections::close`] has been called.
    pub fn is_closed(&self) -> bool {
        self.permits.is_closed()
    }

    /// Refuses further takes and closes the idle connections; those in use close when
    /// given back.
    pub async fn close(&self) {
        self.permits.close();
        let idle = std::mem::take(&mut *self.lock_idle());
        for connection in idle {
            self.open.fetch_sub(1, Ordering::Relaxed);
            let _ = sqlx::Connection::close(connection).await;
        }
    }

    fn lock_idle(&self) -> std::sync::MutexGuard<'_, Vec<SqliteConnection>> {
        // A panic while holding the lock leaves a plain Vec behind: still usable.
        self.idle
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Taken<'_> {
    /// The connection.
    pub fn connection(&mut self) -> &mut SqliteConnection {
        self.connection
            .as_mut()
            .unwrap_or_else(|| unreachable!("a taken connection is held until dropped"))
    }

    /// Passes on `result`, after dropping the connection if its thread is gone.
    pub fn check<T>(mut self, result: Result<T, sqlx::Error>) -> Result<T, sqlx::Error> {
        if let Err(sqlx::Error::WorkerCrashed | sqlx::Error::Io(_)) = &result {
            if self.connection.take().is_some() {
                self.from.open.fetch_sub(1, Ordering::Relaxed);
            }
        }
        result
    }
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        let Some(connection) = self.connection.take() else {
            return;
        };
        if self.from.is_closed() {
            // Its thread ends when the connection is dropped.
            self.from.open.fetch_sub(1, Ordering::Relaxed);
        } else {
            self.from.lock_idle().push(connection);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn in_memory(max: u32) -> Connections {
        Connections::new(
            SqliteConnectOptions::from_str("sqlite::memory:").unwrap(),
            max,
        )
    }

    #[tokio::test]
    async fn a_connection_given_back_is_taken_again_not_opened_anew() {
        let connections = in_memory(2);
        for _ in 0..3 {
            let mut taken = connections.take().await.unwrap();
            let one: i64 = sqlx::query_scalar("SELECT 1")
                .fetch_one(taken.connection())
                .await
                .unwrap();
            assert_eq!(one, 1);
        }
        assert_eq!(connections.counts(), (1, 1));
    }

    #[tokio::test]
    async fn no_more_than_max_are_open_and_a_take_waits_its_turn() {
        let mut connections = in_memory(1);
        connections.wait = Duration::from_millis(50);
        let held = connections.take().await.unwrap();
        assert!(matches!(
            connections.take().await.map(drop),
            Err(sqlx::Error::PoolTimedOut)
        ));
        drop(held);
        assert!(connections.take().await.is_ok());
        assert_eq!(connections.counts(), (1, 1));
    }

    #[tokio::test]
    async fn an_abandoned_statement_leaves_the_connection_usable() {
        let connections = in_memory(1);
        {
            let mut taken = connections.take().await.unwrap();
            let rows = sqlx::query_scalar::<_, i64>(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
                 SELECT i FROM n",
            )
            .fetch_all(taken.connection());
            // Dropped after its first poll, mid-statement.
            let _ = tokio::time::timeout(Duration::ZERO, rows).await;
        }
        let mut taken = connections.take().await.unwrap();
        let two: i64 = sqlx::query_scalar("SELECT 2")
            .fetch_one(taken.connection())
            .await
            .unwrap();
        assert_eq!(two, 2);
    }

    #[tokio::test]
    async fn once_closed_nothing_is_lent_and_what_comes_back_is_closed() {
        let connections = in_memory(2);
        let held = connections.take().await.unwrap();
        drop(connections.take().await.unwrap());
        connections.close().await;
        assert!(connections.is_closed());
        assert!(matches!(
            connections.take().await.map(drop),
            Err(sqlx::Error::PoolClosed)
        ));
        drop(held);
        assert_eq!(connections.counts(), (0, 0));
    }
}

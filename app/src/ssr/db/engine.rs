//! One database handle for two engines: SQLite (embedded, the default) and PostgreSQL
//! (several instances), chosen by the URL. Every repository runs the same SQL text on
//! either (`$1`-style parameters, which sqlx's SQLite driver accepts too); the few
//! dialect differences live in [`Engine`]'s methods.
//!
//! `sqlx::Any` is not used: it has no bool or BLOB parity between the two.

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

mod connections;
mod dialect;
mod query;
mod tx;
use super::change_feed::ChangeFeed;
pub use connections::{Connections, Taken};
pub use dialect::Engine;
pub use query::{query, Conn, Query, Row, Scalar, Value};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tx::EngineTx;
pub use tx::Tx;

/// What this process keeps beside a pool.
#[derive(Debug, Clone)]
pub struct InProcess {
    /// SQLite's writers, one at a time and first come first served: a write transaction
    /// waits here for its turn before `BEGIN IMMEDIATE`, instead of many connections
    /// sleeping and retrying in SQLite's busy handler (which served them in no order, with
    /// a long tail). The busy timeout remains for other processes (the operator commands).
    writers: Arc<tokio::sync::Mutex<()>>,
    /// What committed transactions announce (see [`ChangeFeed`]).
    feed: Arc<ChangeFeed>,
    /// Rung when a transaction that queued mail commits: the outbox worker's bell.
    mail_queued: Arc<tokio::sync::Notify>,
    /// Rung when a transaction that queued webhook messages commits: the webhook worker's.
    webhooks_queued: Arc<tokio::sync::Notify>,
}

impl InProcess {
    fn new(hearing: bool) -> Self {
        Self {
            writers: Arc::default(),
            feed: Arc::new(ChangeFeed::new(hearing)),
            mail_queued: Arc::default(),
            webhooks_queued: Arc::default(),
        }
    }
}

/// SQLite's connections: sqlx's pool for transactions and migrations, and
/// [`Connections`] for every statement outside a transaction.
#[derive(Debug, Clone)]
pub struct SqliteDb {
    pub pool: SqlitePool,
    pub connections: Arc<Connections>,
}

/// A pool of either engine and what this process keeps beside it; cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    /// SQLite, embedded.
    Sqlite(SqliteDb, InProcess),
    /// PostgreSQL.
    Postgres(PgPool, InProcess),
}

impl Db {
    /// Opens `url` (`sqlite://…` or `postgres://…`) with the settings Tokensmith relies on;
    /// a SQLite file is created if missing.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            // Other instances' changes are heard once the listener is connected
            // ([`super::change_listener`]).
            return Ok(Db::Postgres(pool, InProcess::new(false)));
        }
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // Each SQLite connection is a thread of its own: two per core keeps statements
        // concurrent without threads queueing for the cores (8 on this 2-core machine cost
        // the API page ~7 % of its throughput in context switches).
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let max = u32::try_from(cores * 2).unwrap_or(8).clamp(4, 16);
        // The pool serves only transactions, and SQLite's writers take turns: two do. No
        // ping before each use: the database is in this process, and a ping is a round trip
        // to the connection's thread.
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        let connections = Arc::new(Connections::new(options, max));
        Ok(Db::Sqlite(
            SqliteDb { pool, connections },
            InProcess::new(true),
        ))
    }

    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(..) => Engine::Sqlite,
            Db::Postgres(..) => Engine::Postgres,
        }
    }

    /// Applies the engine's migrations (embedded in the binary). On PostgreSQL, sqlx holds
    /// an advisory lock meanwhile, so instances starting together migrate once.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self {
            Db::Sqlite(db, _) => sqlx::migrate!("./migrations/sqlite").run(&db.pool).await,
            Db::Postgres(pool, _) => sqlx::migrate!("./migrations/postgres").run(pool).await,
        }
    }

    /// The latest SQLite migration this binary ships.
    pub fn shipped_sqlite_migration() -> i64 {
        sqlx::migrate!("./migrations/sqlite")
            .iter()
            .map(|m| m.version)
            .max()
            .unwrap_or(0)
    }

    /// The latest migration version this binary ships, and the latest one applied to the
    /// database (0 if none): the database is migrated when they are equal.
    pub async fn migration_versions(&self) -> Result<(i64, i64), sqlx::Error> {
        let shipped = match self {
            Db::Sqlite(..) => sqlx::migrate!("./migrations/sqlite")
                .iter()
                .map(|m| m.version)
                .max(),
            Db::Postgres(..) => sqlx::migrate!("./migrations/postgres")
                .iter()
                .map(|m| m.version)
                .max(),
        };
        let applied: i64 =
            query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = TRUE")
                .scalar(self)
                .await?;
        Ok((shipped.unwrap_or(0), applied))
    }

    /// Starts a write transaction (see [`Engine::begin_write`]).
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        let started = std::time::Instant::now();
        let tx = self.begin_write_now().await;
        metrics::histogram!("tokensmith_db_write_wait_seconds")
            .record(started.elapsed().as_secs_f64());
        tx
    }

    /// [`Db::begin_write`], unmeasured.
    async fn begin_write_now(&self) -> Result<Tx, sqlx::Error> {
        Ok(match self {
            Db::Sqlite(db, local) => {
                let turn = local.writers.clone().lock_owned().await;
                let tx = db.pool.begin_with(Engine::Sqlite.begin_write()).await?;
                Tx::new(
                    EngineTx::Sqlite(tx, turn),
                    local.feed.clone(),
                    [local.mail_queued.clone(), local.webhooks_queued.clone()],
                )
            }
            Db::Postgres(pool, local) => Tx::new(
                EngineTx::Postgres(pool.begin_with(Engine::Postgres.begin_write()).await?),
                local.feed.clone(),
                [local.mail_queued.clone(), local.webhooks_queued.clone()],
            ),
        })
    }

    /// Connections open, and how many of them are idle.
    pub fn connections(&self) -> (u32, usize) {
        match self {
            Db::Sqlite(db, _) => {
                let (open, idle) = db.connections.counts();
                (open + db.pool.size(), idle + db.pool.num_idle())
            }
            Db::Postgres(pool, _) => (pool.size(), pool.num_idle()),
        }
    }

    /// Whether [`Db::close`] has been called.
    pub fn is_closed(&self) -> bool {
        match self {
            Db::Sqlite(db, _) => db.pool.is_closed() || db.connections.is_closed(),
            Db::Postgres(pool, _) => pool.is_closed(),
        }
    }

    /// Closes every connection.
    pub async fn close(&self) {
        match self {
            Db::Sqlite(db, _) => {
                db.connections.close().await;
                db.pool.close().await;
            }
            Db::Postgres(pool, _) => pool.close().await,
        }
    }
}

impl Db {
    /// The changes this process hears of (see [`ChangeFeed`]).
    pub fn change_feed(&self) -> &ChangeFeed {
        match self {
            Db::Sqlite(_, local) | Db::Postgres(_, local) => &local.feed,
        }
    }

    /// Waits until a transaction of this process that queued mail commits (at once if one
    /// did since the last wait).
    pub async fn mail_queued(&self) {
        match self {
            Db::Sqlite(_, local) | Db::Postgres(_, local) => local.mail_queued.notified().await,
        }
    }

    /// Waits until a transaction of this process that queued webhook messages commits (at
    /// once if one did since the last wait).
    pub async fn webhooks_queued(&self) {
        match self {
            Db::Sqlite(_, local) | Db::Postgres(_, local) => local.webhooks_queued.notified().await,
        }
    }
}

impl<'c> From<&'c Db> for Conn<'c> {
    fn from(db: &'c Db) -> Self {
        match db {
            Db::Sqlite(db, _) => Conn::SqliteConnections(&db.connections),
            Db::Postgres(pool, _) => Conn::PgPool(pool),
        }
    }
}

impl<'c> From<&'c mut Tx> for Conn<'c> {
    fn from(tx: &'c mut Tx) -> Self {
        match &mut tx.inner {
            EngineTx::Sqlite(tx, _) => Conn::Sqlite(tx),
            EngineTx::Postgres(tx) => Conn::Pg(tx),
        }
    }
}

impl Conn<'_> {
    pub fn engine(&self) -> Engine {
        match self {
            Conn::SqliteConnections(_) | Conn::Sqlite(_) => Engine::Sqlite,
            Conn::PgPool(_) | Conn::Pg(_) => Engine::Postgres,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versions(migrator: &sqlx::migrate::Migrator) -> Vec<(i64, String)> {
        migrator
            .iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }

    #[test]
    fn both_engines_have_the_same_migrations() {
        let sqlite = sqlx::migrate!("./migrations/sqlite");
        let postgres = sqlx::migrate!("./migrations/postgres");
        assert_eq!(versions(&sqlite), versions(&postgres));
        assert_eq!(versions(&sqlite).len(), 27);
    }

    #[test]
    fn sqlite_migrations_are_unchanged_so_existing_databases_still_open() {
        // The first 8 bytes of each SHA-384 that databases made before the move recorded.
        let recorded = [
            "344c320a42fc0a52",
            "e9c761ac906f4fce",
            "26adc5eb64c9c32d",
            "d1bb8cd6d1188c81",
            "518bc63e41cb47cb",
            "9ca558021e623555",
            "9d422d5ac8a52e57",
        ];
        let sqlite = sqlx::migrate!("./migrations/sqlite");
        let now: Vec<String> = sqlite
            .iter()
            .take(recorded.len())
            .map(|m| m.checksum[..8].iter().map(|b| format!("{b:02x}")).collect())
            .collect();
        assert_eq!(now, recorded);
    }

    #[test]
    fn dialects() {
        assert_eq!(
            Engine::Sqlite.same_text("email", "$1"),
            "email = $1 COLLATE NOCASE"
        );
        assert_eq!(
            Engine::Postgres.same_text("email", "$1"),
            r#"lower(email COLLATE "C") = lower($1 COLLATE "C")"#
        );
        assert_eq!(
            Engine::Postgres.join_with_spaces("scope"),
            "string_agg(scope, ' ')"
        );
    }
}

//! `tokensmith backup PATH` and `tokensmith restore PATH` for a SQLite database.
//!
//! A backup is `VACUUM INTO` a new file beside PATH: one read transaction, so it is a
//! consistent snapshot while servers keep writing, and compact. It is checked with
//! `PRAGMA integrity_check` before it is renamed to PATH (never half-written there).
//!
//! A restore replaces the database file with a checked backup, and refuses while any
//! server uses that database: every `serve` holds a shared lock on `DATABASE.lock` for its
//! life (the kernel drops it if the process dies), and a restore needs that lock alone.
//! The old database's WAL is removed with it, so none of its pages reach the restored one.

use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// What a checked copy holds.
#[derive(Debug)]
pub struct Summary {
    /// Its size in bytes.
    pub bytes: u64,
    /// Its latest migration.
    pub migration: i64,
    /// Accounts, users and tokens in it.
    pub accounts: i64,
    /// See `accounts`.
    pub users: i64,
    /// See `accounts`.
    pub tokens: i64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} bytes, integrity ok, migration {}: {} account(s), {} user(s), {} token(s)",
            self.bytes, self.migration, self.accounts, self.users, self.tokens
        )
    }
}

/// The file of a `sqlite://` URL, as the server opens it (sqlx percent-decodes the path,
/// so `%3F` is a `?` in the name and `%25` a `%`); `None` for another engine or an
/// in-memory database.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let (file, params) = rest.split_once('?').unwrap_or((rest, ""));
    if file.is_empty() || file == ":memory:" || params.split('&').any(|p| p == "mode=memory") {
        return None;
    }
    let options = SqliteConnectOptions::from_str(url).ok()?;
    Some(options.get_filename().to_path_buf())
}

/// The SQLite file of `url`, or what to use instead for PostgreSQL.
fn database_file(url: &str, what: &str) -> Result<PathBuf, String> {
    sqlite_path(url).ok_or_else(|| {
        format!(
            "{what} works on a SQLite database; for PostgreSQL use its own tools: \
             pg_dump --format=custom --file=tokensmith.dump DBNAME, and \
             pg_restore --clean --if-exists --dbname=DBNAME tokensmith.dump (see the README)"
        )
    })
}

/// `path` with `suffix` appended to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The lock every server holds shared and a restore alone.
fn lock_file(database: &Path) -> Result<File, String> {
    let path = beside(database, ".lock");
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))
}

/// Held by a running server: a restore of its database waits for it to stop.
pub struct ServingLock {
    _file: Option<File>,
}

/// Takes the serving lock of `url`'s SQLite database (nothing for PostgreSQL).
pub fn hold_for_serving(url: &str) -> Result<ServingLock, String> {
    let Some(database) = sqlite_path(url) else {
        return Ok(ServingLock { _file: None });
    };
    if let Some(folder) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| {
            format!(
                "cannot create the database folder {}: {e}",
                folder.display()
            )
        })?;
    }
    let file = lock_file(&database)?;
    file.try_lock_shared().map_err(|_| {
        format!(
            "a restore into {} is in progress; start the server once it has finished",
            database.display()
        )
    })?;
    Ok(ServingLock { _file: Some(file) })
}

/// Copies the database of `url` to `to` (which must not exist yet) and checks the copy.
pub async fn backup(url: &str, to: &Path) -> Result<Summary, String> {
    let database = database_file(url, "backup")?;
    if !database.exists() {
        return Err(format!("there is no database at {}", database.display()));
    }
    if to.exists() {
        return Err(format!(
            "{} already exists: back up to a new file",
            to.display()
        ));
    }
    let partial = beside(to, ".partial");
    let _ = std::fs::remove_file(&partial);
    let mut source = open(&database, true).await?;
    let target = partial
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", partial.display()))?;
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut source)
        .await;
    let _ = source.close().await;
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(format!("cannot write {}: {error}", partial.display()));
    }
    let summary = match check(&partial).await {
        Ok(summary) => summary,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    sync(&partial)?;
    std::fs::rename(&partial, to).map_err(|e| {
        format!(
            "cannot rename {} to {}: {e}",
            partial.display(),
            to.display()
        )
    })?;
    sync_folder(to)?;
    Ok(summary)
}

/// Replaces the database of `url` with the checked backup `from`, unless a server uses it.
pub async fn restore(url: &str, from: &Path, shipped_migration: i64) -> Result<Summary, String> {
    let database = database_file(url, "restore")?;
    if !from.is_file() {
        return Err(format!("there is no backup at {}", from.display()));
    }
    let summary = check(from).await?;
    if summary.migration > shipped_migration {
        return Err(format!(
            "{} was made by a newer Tokensmith (migration {} > {shipped_migration}): \
             restore it with that version",
            from.display(),
            summary.migration
        ));
    }
    if let Some(folder) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    }
    let lock = lock_file(&database)?;
    lock.try_lock().map_err(|_| {
        format!(
            "the database at {} is in use by a running Tokensmith server: stop every server \
             using it, then restore",
            database.display()
        )
    })?;
    let incoming = beside(&database, ".restoring");
    std::fs::copy(from, &incoming).map_err(|e| {
        format!(
            "cannot copy {} to {}: {e}",
            from.display(),
            incoming.display()
        )
    })?;
    sync(&incoming)?;
    for stale in ["-wal", "-shm", "-journal"] {
        let path = beside(&database, stale);
        if path.exists() {
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
        }
    }
    std::fs::rename(&incoming, &database).map_err(|e| {
        format!(
            "cannot rename {} to {}: {e}",
            incoming.display(),
            database.display()
        )
    })?;
    sync_folder(&database)?;
    drop(lock);
    Ok(summary)
}

/// Opens the file at `path` itself: never through a URL, where `?` and `%` would be read
/// as a query and escapes.
async fn open(path: &Path, read_only: bool) -> Result<SqliteConnection, String> {
    SqliteConnectOptions::new()
        .filename(path)
        .read_only(read_only)
        .busy_timeout(std::time::Duration::from_secs(30))
        .connect()
        .await
        .map_err(|e| format!("cannot open {}: {e}", path.display()))
}

/// Checks the SQLite file at `path` and says what it holds.
pub async fn check(path: &Path) -> Result<Summary, String> {
    let bad = |why: String| {
        format!(
            "{} is not a usable Tokensmith backup: {why}",
            path.display()
        )
    };
    let mut db = open(path, true).await.map_err(bad)?;
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut db)
        .await
        .map_err(|e| bad(e.to_string()))?;
    if problems != ["ok"] {
        return Err(bad(format!("integrity_check says {problems:?}")));
    }
    let count = async |db: &mut SqliteConnection, sql: &str| -> Result<i64, String> {
        sqlx::query_scalar(sql)
            .fetch_one(db)
            .await
            .map_err(|e| bad(e.to_string()))
    };
    let migration = count(
        &mut db,
        "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success",
    )
    .await?;
    let accounts = count(&mut db, "SELECT COUNT(*) FROM accounts").await?;
    let users = count(&mut db, "SELECT COUNT(*) FROM users").await?;
    let tokens = count(&mut db, "SELECT COUNT(*) FROM tokens").await?;
    let _ = db.close().await;
    let bytes = std::fs::metadata(path)
        .map_err(|e| bad(e.to_string()))?
        .len();
    Ok(Summary {
        bytes,
        migration,
        accounts,
        users,
        tokens,
    })
}

fn sync(path: &Path) -> Result<(), String> {
    File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot sync {}: {e}", path.display()))
}

fn sync_folder(path: &Path) -> Result<(), String> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    sync(folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_sqlite_file() {
        assert_eq!(
            sqlite_path("sqlite://data/t.db?mode=rwc"),
            Some(PathBuf::from("data/t.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:/var/t.db"),
            Some(PathBuf::from("/var/t.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("sqlite://?mode=memory"), None);
        assert_eq!(
            sqlite_path("sqlite://data/a%3Fb%25c.db?mode=rwc"),
            Some(PathBuf::from("data/a?b%c.db"))
        );
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }

    /// Paths with `%` and `?`: what is checked is what is copied, both ways.
    #[tokio::test]
    async fn odd_file_names_are_backed_up_and_restored_whole() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("we?ird%41 dir");
        std::fs::create_dir_all(&folder).unwrap();
        let database = folder.join("t%3F.db");
        let encoded = format!(
            "sqlite://{}?mode=rwc",
            database
                .display()
                .to_string()
                .replace('%', "%25")
                .replace('?', "%3F")
        );
        let pool = app::ssr::db::connect(&encoded).await.unwrap();
        app::ssr::db::migrate(&pool).await.unwrap();
        crate::commands::seed::seed_demo(&pool, Some("a-long-demo-password"))
            .await
            .unwrap();
        pool.close().await;
        assert!(database.exists(), "the server's file is the decoded name");
        let copy = folder.join("copy?%.db");
        let summary = backup(&encoded, &copy).await.unwrap();
        assert_eq!(summary.users, 4, "{summary:?}");
        assert!(copy.exists());
        std::fs::remove_file(&database).unwrap();
        let restored = restore(&encoded, &copy, summary.migration).await.unwrap();
        assert_eq!(restored.users, summary.users);
        assert!(database.exists());
    }

    #[tokio::test]
    async fn postgres_is_pointed_to_its_own_tools() {
        let error = backup("postgres://u@h/db", Path::new("/tmp/x"))
            .await
            .unwrap_err();
        assert!(error.contains("pg_dump"), "{error}");
        let error = restore("postgres://u@h/db", Path::new("/tmp/x"), 16)
            .await
            .unwrap_err();
        assert!(error.contains("pg_restore"), "{error}");
    }
}

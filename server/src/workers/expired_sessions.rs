//! Sessions that end: the idle timeout from `TOKENSMITH_SESSION_IDLE_MINUTES` and a task
//! that deletes expired sessions (idle or past their absolute lifetime) now and then, so
//! sessions nobody comes back to don't stay in the database.

use app::ssr::db::Db;
use app::ssr::{auth, db::sessions, now};
use std::time::Duration;

/// The variable that sets the idle timeout, in minutes.
pub const IDLE_MINUTES_VAR: &str = "TOKENSMITH_SESSION_IDLE_MINUTES";

/// How often expired sessions are deleted.
pub const PRUNE_EVERY: Duration = Duration::from_secs(5 * 60);

/// The idle timeout in seconds from the variable's value: whole minutes from 1 up to the
/// absolute lifetime (12 h); unset means 30 minutes.
pub fn idle_secs_from(value: Option<&str>) -> Result<i64, String> {
    let Some(value) = value else {
        return Ok(auth::DEFAULT_IDLE_SECS);
    };
    let max = auth::SESSION_TTL_SECS / 60;
    match value.trim().parse::<i64>() {
        Ok(minutes) if (1..=max).contains(&minutes) => Ok(minutes * 60),
        _ => Err(format!(
            "{IDLE_MINUTES_VAR} must be a whole number of minutes from 1 to {max}, not {value:?}"
        )),
    }
}

/// Sets the idle timeout from the environment and starts pruning expired sessions every
/// [`PRUNE_EVERY`].
pub fn start(pool: &Db) -> Result<(), String> {
    let idle = idle_secs_from(std::env::var(IDLE_MINUTES_VAR).ok().as_deref())?;
    auth::set_idle_timeout_secs(idle);
    tracing::info!(
        idle_minutes = idle / 60,
        "sessions end after this long unused"
    );
    let pool = pool.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(PRUNE_EVERY);
        loop {
            every.tick().await;
            if pool.is_closed() {
                break;
            }
            match sessions::prune(&pool, now(), auth::idle_timeout_secs()).await {
                Ok(0) => {}
                Ok(ended) => tracing::info!(sessions = ended, "expired sessions deleted"),
                Err(error) => tracing::warn!(%error, "could not delete expired sessions"),
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_timeout_is_whole_minutes_within_the_lifetime() {
        assert_eq!(idle_secs_from(None), Ok(30 * 60));
        assert_eq!(idle_secs_from(Some("5")), Ok(300));
        assert_eq!(idle_secs_from(Some("720")), Ok(720 * 60));
        for bad in ["0", "-3", "721", "ten", "", "1.5"] {
            assert!(idle_secs_from(Some(bad)).is_err(), "{bad}");
        }
    }
}

//! PostgreSQL: every instance hears what the others commit. A transaction that announces a
//! change sends `NOTIFY tokensmith_tokens` as it commits; this worker listens on that
//! channel and tells the [`ChangeFeed`]. While it is not connected the feed says changes
//! may go unheard; it reconnects every second. On SQLite there is nobody else to hear.

use super::change_feed::{ChangeFeed, FeedEvent, CHANNEL};
use super::engine::Db;
use sqlx::postgres::PgPool;
use std::time::Duration;
use tokio::sync::watch;

/// How often the listener's connection is checked with a round trip, and how long the
/// answer may take: a connection that died without a word (no reset) is noticed within
/// their sum, and the feed says so until a new one listens.
const PING_EVERY: Duration = Duration::from_secs(3);
const PING_WAIT: Duration = Duration::from_secs(2);

/// Listens until `stop` turns true (or the pool is closed); returns at once on SQLite.
pub async fn run(db: Db, mut stop: watch::Receiver<bool>) {
    let Db::Postgres(pool, _) = &db else {
        return;
    };
    let feed = db.change_feed();
    loop {
        tokio::select! {
            lost = listen(pool, feed) => {
                if let Err(error) = lost {
                    tracing::warn!(%error, "token change listener lost; not caching tokens");
                }
            }
            _ = stop_requested(&mut stop) => {}
        }
        feed.tell(FeedEvent::Deaf);
        if pool.is_closed() || *stop.borrow() {
            return;
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = stop_requested(&mut stop) => return,
        }
    }
}

/// Resolves once `stop` is true; never, if its sender is gone without saying so.
async fn stop_requested(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

async fn listen(pool: &PgPool, feed: &ChangeFeed) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    // A lost connection is reported at once, not first reconnected (which could hang).
    listener.eager_reconnect(false);
    listener.listen(CHANNEL).await?;
    // Only now can no change go unheard.
    feed.tell(FeedEvent::Hearing);
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            // Not `recv`: it reconnects by itself when the connection drops, and whatever
            // was announced meanwhile is lost while the feed still says it hears.
            received = listener.try_recv() => {
                if received?.is_none() {
                    return Err(sqlx::Error::Io(std::io::Error::new(
                        std::io::ErrorKind::ConnectionAborted,
                        "the listener's connection was lost",
                    )));
                }
                feed.tell(FeedEvent::Committed);
            }
            _ = ping.tick() => {
                let answered = tokio::time::timeout(PING_WAIT, listener.execute("SELECT 1")).await;
                match answered {
                    Ok(Ok(_)) => {}
                    Ok(Err(error)) => return Err(error),
                    Err(_) => {
                        return Err(sqlx::Error::Io(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            "the listener's connection did not answer a check within 2 s",
                        )))
                    }
                }
            }
        }
    }
}

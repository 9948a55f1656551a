//! Changes this process should hear of: a write transaction that says so
//! ([`super::Tx::announce_change`]) tells the feed when it commits, and on PostgreSQL the
//! listener ([`super::change_listener`]) tells it what other instances committed. Whoever
//! keeps copies of the data (the token cache) subscribes and empties them.
//!
//! The feed also says whether every change is being heard: always on SQLite (one process
//! writes the file through this feed), on PostgreSQL only while the listener is connected.
//! A copy kept while some changes could go unheard would be stale without anyone knowing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// The PostgreSQL channel on which committed changes are announced.
pub const CHANNEL: &str = "tokensmith_tokens";

/// What the feed tells its subscribers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedEvent {
    /// A change committed, here or on another instance.
    Committed,
    /// From now on every change is heard.
    Hearing,
    /// Changes made elsewhere may go unheard.
    Deaf,
}

/// A subscriber: called at once with [`FeedEvent::Hearing`] or [`FeedEvent::Deaf`], then
/// with every event. It runs while the feed is locked, so it must be quick.
pub type Subscriber = Arc<dyn Fn(FeedEvent) + Send + Sync>;

/// The feed of one database handle, shared by its clones.
pub struct ChangeFeed {
    subscribers: RwLock<Vec<Subscriber>>,
    hearing: AtomicBool,
}

impl ChangeFeed {
    /// A feed that hears every change from the start (`hearing`) or only once told so.
    pub fn new(hearing: bool) -> Self {
        Self {
            subscribers: RwLock::default(),
            hearing: AtomicBool::new(hearing),
        }
    }

    /// Adds `subscriber`, telling it first whether every change is heard now.
    pub fn subscribe(&self, subscriber: Subscriber) {
        let mut subscribers = self.subscribers.write().unwrap_or_else(|e| e.into_inner());
        subscriber(if self.hearing.load(Ordering::Acquire) {
            FeedEvent::Hearing
        } else {
            FeedEvent::Deaf
        });
        subscribers.push(subscriber);
    }

    /// Tells every subscriber `event`.
    pub fn tell(&self, event: FeedEvent) {
        let subscribers = self.subscribers.read().unwrap_or_else(|e| e.into_inner());
        match event {
            FeedEvent::Hearing => self.hearing.store(true, Ordering::Release),
            FeedEvent::Deaf => self.hearing.store(false, Ordering::Release),
            FeedEvent::Committed => {}
        }
        for subscriber in subscribers.iter() {
            subscriber(event);
        }
    }
}

impl std::fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeed")
            .field("hearing", &self.hearing.load(Ordering::Acquire))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn recorder() -> (Subscriber, Arc<Mutex<Vec<FeedEvent>>>) {
        let heard = Arc::new(Mutex::new(Vec::new()));
        let into = heard.clone();
        (
            Arc::new(move |event| into.lock().unwrap().push(event)),
            heard,
        )
    }

    #[test]
    fn a_subscriber_learns_first_whether_it_hears_everything() {
        let feed = ChangeFeed::new(false);
        let (early, early_heard) = recorder();
        feed.subscribe(early);
        feed.tell(FeedEvent::Hearing);
        let (late, late_heard) = recorder();
        feed.subscribe(late);
        feed.tell(FeedEvent::Committed);
        feed.tell(FeedEvent::Deaf);
        use FeedEvent::*;
        assert_eq!(
            *early_heard.lock().unwrap(),
            [Deaf, Hearing, Committed, Deaf]
        );
        assert_eq!(*late_heard.lock().unwrap(), [Hearing, Committed, Deaf]);
    }
}

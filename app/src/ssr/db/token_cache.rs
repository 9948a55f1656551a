//! Live tokens by the hash of their secret, kept in memory so the brand API and
//! introspection authenticate without a database round trip.
//!
//! What a token grants changes only in write transactions that say so
//! ([`super::Tx::announce_change`]: every token change and the account's API access
//! switch). The cache follows the database's [`ChangeFeed`]: such a commit empties this
//! process's cache before the change is answered, and on PostgreSQL every other instance
//! empties its own when its listener hears of it (within milliseconds; while an instance's
//! listener is not connected, it does not use its cache at all). A lookup that raced with a change never stores what it read: an
//! entry is kept only if no change committed since the lookup began. Unknown secrets are
//! never cached, so nothing a client sends can fill the cache.
//!
//! Every entry is used for at most [`MAX_AGE`] after its lookup began, whatever the
//! listener says: if its connection dies silently (a firewall drops it with no reset), a
//! change made on another instance is still honoured here within that bound, under a
//! second. The listener's connection is checked by a round trip every few seconds besides.
//! The price is one indexed query per busy token and instance every [`MAX_AGE`].

use super::change_feed::{ChangeFeed, FeedEvent};
use super::engine::Db;
use super::token_auth::{self, LiveToken};
use crate::error::AppError;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// The most tokens kept; past it the cache starts again empty.
const MAX_ENTRIES: usize = 100_000;

/// How long an entry is used after its lookup began: a change is honoured everywhere
/// within this, even by an instance whose change listener died without a word.
pub const MAX_AGE: Duration = Duration::from_millis(800);

/// A cached token and when it was read from the database.
type Entry = (Instant, Arc<LiveToken>);

/// The cache; one per process and database.
#[derive(Debug)]
pub struct TokenCache {
    entries: RwLock<HashMap<[u8; 32], Entry>>,
    generation: AtomicU64,
    in_use: AtomicBool,
}

impl TokenCache {
    /// An empty cache that follows `feed`: used while every change is heard, emptied at
    /// every change.
    pub fn following(feed: &ChangeFeed) -> Arc<Self> {
        let cache = Arc::new(Self::new(false));
        let follower = cache.clone();
        feed.subscribe(Arc::new(move |event| match event {
            FeedEvent::Committed => follower.forget_all(),
            FeedEvent::Hearing => follower.set_in_use(true),
            FeedEvent::Deaf => follower.set_in_use(false),
        }));
        cache
    }

    /// An empty cache, used at once (`in_use`) or only once told so.
    fn new(in_use: bool) -> Self {
        Self {
            entries: RwLock::default(),
            generation: AtomicU64::new(0),
            in_use: AtomicBool::new(in_use),
        }
    }

    /// The live token whose secret (or old secret, during a Reset's overlap) hashes to
    /// `hash`: from the cache, or in one indexed query (then kept).
    pub async fn find(
        &self,
        pool: &Db,
        hash: &[u8; 32],
    ) -> Result<Option<Arc<LiveToken>>, AppError> {
        if let Some(found) = self.get(hash) {
            return Ok(Some(found));
        }
        let (generation, began) = (self.generation(), Instant::now());
        let Some(found) = token_auth::find_by_secret_hash(pool, hash).await? else {
            return Ok(None);
        };
        let found = Arc::new(found);
        self.keep_from(*hash, found.clone(), (generation, began));
        Ok(Some(found))
    }

    /// The count of changes so far: read it before a lookup, hand it to [`Self::keep`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The token whose secret hashes to `hash`, if cached.
    pub fn get(&self, hash: &[u8; 32]) -> Option<Arc<LiveToken>> {
        if !self.in_use.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(hash)
            .filter(|(read, _)| read.elapsed() < MAX_AGE)
            .map(|(_, found)| found.clone())
    }

    /// Keeps what a lookup found, unless a change committed since `generation` was read.
    pub fn keep(&self, hash: [u8; 32], found: Arc<LiveToken>, generation: u64) {
        self.keep_from(hash, found, (generation, Instant::now()));
    }

    /// [`Self::keep`] for a lookup that began at `began`: the entry ages from then.
    fn keep_from(
        &self,
        hash: [u8; 32],
        found: Arc<LiveToken>,
        (generation, began): (u64, Instant),
    ) {
        if !self.in_use.load(Ordering::Acquire) {
            return;
        }
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock that `forget_all` takes too: no change slips in between.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(hash, (began, found));
    }

    /// Forgets every token: something a token grants has changed.
    pub fn forget_all(&self) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.clear();
    }

    /// Starts or stops using the cache (PostgreSQL: while the change listener is connected).
    fn set_in_use(&self, in_use: bool) {
        self.forget_all();
        self.in_use.store(in_use, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::authorize::Grant;

    fn found(sid: &str) -> Arc<LiveToken> {
        Arc::new(LiveToken {
            token_id: 1,
            issued_at: 0,
            grant: Grant {
                sid: sid.to_string(),
                account_sid: "AC".to_string(),
                enabled: true,
                api_access: true,
                api_version: 14,
                scopes: Default::default(),
                ends_at: None,
                allowed_ips: Default::default(),
            },
            old_secret: false,
            limits: Default::default(),
            quota_since: 0,
            budget: None,
        })
    }

    #[test]
    fn a_lookup_that_raced_with_a_change_is_not_kept() {
        let cache = TokenCache::new(true);
        let before = cache.generation();
        cache.forget_all(); // a change commits while the lookup reads the old row
        cache.keep([1; 32], found("TSold"), before);
        assert!(cache.get(&[1; 32]).is_none());
        cache.keep([1; 32], found("TSnew"), cache.generation());
        assert_eq!(
            cache.get(&[1; 32]).map(|f| f.grant.sid.clone()),
            Some("TSnew".into())
        );
        cache.forget_all();
        assert!(cache.entries.read().unwrap().is_empty());
    }

    #[test]
    fn an_entry_is_used_for_at_most_its_age() {
        let cache = TokenCache::new(true);
        cache.keep([3; 32], found("TS"), cache.generation());
        assert!(cache.get(&[3; 32]).is_some());
        // Read longer ago than the bound: a lookup goes to the database again.
        let old = Instant::now().checked_sub(MAX_AGE).unwrap();
        cache.entries.write().unwrap().get_mut(&[3; 32]).unwrap().0 = old;
        assert!(cache.get(&[3; 32]).is_none());
    }

    #[test]
    fn it_keeps_nothing_while_changes_may_go_unheard() {
        let feed = ChangeFeed::new(false);
        let cache = TokenCache::following(&feed);
        cache.keep([2; 32], found("TS"), cache.generation());
        assert!(cache.get(&[2; 32]).is_none());
        feed.tell(FeedEvent::Hearing);
        cache.keep([2; 32], found("TS"), cache.generation());
        assert!(cache.get(&[2; 32]).is_some());
        feed.tell(FeedEvent::Committed);
        assert!(cache.get(&[2; 32]).is_none());
        cache.keep([2; 32], found("TS"), cache.generation());
        feed.tell(FeedEvent::Deaf);
        assert!(cache.get(&[2; 32]).is_none());
        cache.keep([2; 32], found("TS"), cache.generation());
        assert!(cache.get(&[2; 32]).is_none());
    }
}

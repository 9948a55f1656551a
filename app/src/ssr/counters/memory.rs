//! Windows held in this process, in a table of bounded size. Only a counted event makes a
//! window. At capacity, the oldest window still below its limit makes room; one at its
//! limit (a lockout) is never dropped before it ends, so a flood of new keys can't erase it.
//! Making room looks at a bounded number of windows, never the whole table.

use super::{Limit, Window};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Windows one table holds at most.
pub const CAPACITY: usize = 100_000;

/// How many of the oldest windows one new window may look at to make room.
const TIDY_STEPS: usize = 32;

/// One process's windows.
pub struct Table {
    slots: Mutex<Slots>,
}

struct Slots {
    windows: HashMap<String, Slot>,
    /// Keys with the end of the window they had when queued; an entry whose key has since
    /// ended or started another window is stale and skipped.
    order: VecDeque<(String, i64)>,
    capacity: usize,
}

struct Slot {
    ends: i64,
    count: i64,
    limit: i64,
}

impl Table {
    /// A table of at most `capacity` windows.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            slots: Mutex::new(Slots {
                windows: HashMap::new(),
                order: VecDeque::new(),
                capacity: capacity.max(1),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Slots> {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts one event of `key`; `None` when the table is full of lockouts.
    pub fn add(&self, key: &str, limit: Limit, now: i64) -> Option<Window> {
        self.lock().add(key, limit, now)
    }

    /// `key`'s live window.
    pub fn peek(&self, key: &str, now: i64) -> Option<Window> {
        let slots = self.lock();
        let slot = slots.windows.get(key).filter(|slot| slot.ends > now)?;
        Some(slot.window())
    }

    /// Takes one event of `key` back.
    pub fn give_back(&self, key: &str) {
        if let Some(slot) = self.lock().windows.get_mut(key) {
            slot.count = (slot.count - 1).max(0);
        }
    }

    /// Forgets `key`.
    pub fn clear(&self, key: &str) {
        self.lock().windows.remove(key);
    }

    /// Windows held now.
    pub fn len(&self) -> usize {
        self.lock().windows.len()
    }

    /// Whether no window is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Slot {
    fn window(&self) -> Window {
        Window {
            ends: self.ends,
            count: self.count,
        }
    }
}

impl Slots {
    fn add(&mut self, key: &str, limit: Limit, now: i64) -> Option<Window> {
        if let Some(slot) = self.windows.get_mut(key).filter(|slot| slot.ends > now) {
            slot.count += 1;
            return Some(slot.window());
        }
        self.windows.remove(key);
        self.make_room(now);
        if self.windows.len() >= self.capacity {
            return None;
        }
        let slot = Slot {
            ends: now + limit.seconds,
            count: 1,
            limit: i64::from(limit.events),
        };
        let window = slot.window();
        self.order.push_back((key.to_string(), slot.ends));
        self.windows.insert(key.to_string(), slot);
        Some(window)
    }

    /// Drops stale and ended entries from the front of the order and, at capacity, the
    /// oldest window below its limit; a lockout met on the way goes to the back.
    fn make_room(&mut self, now: i64) {
        for _ in 0..TIDY_STEPS {
            let Some((key, ends)) = self.order.pop_front() else {
                return;
            };
            let Some(slot) = self.windows.get(&key) else {
                continue;
            };
            if slot.ends != ends {
                continue;
            }
            if ends <= now {
                self.windows.remove(&key);
                continue;
            }
            if self.windows.len() < self.capacity {
                self.order.push_front((key, ends));
                return;
            }
            if slot.count < slot.limit {
                self.windows.remove(&key);
                return;
            }
            self.order.push_back((key, ends));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit {
        events: 3,
        seconds: 60,
    };

    #[test]
    fn a_window_counts_until_it_ends_then_starts_afresh() {
        let table = Table::with_capacity(10);
        assert_eq!(table.add("k", LIMIT, 1000).unwrap().count, 1);
        let second = table.add("k", LIMIT, 1059).unwrap();
        assert_eq!((second.count, second.ends), (2, 1060));
        assert_eq!(table.peek("k", 1059).unwrap().count, 2);
        assert!(table.peek("k", 1060).is_none());
        let fresh = table.add("k", LIMIT, 1060).unwrap();
        assert_eq!((fresh.count, fresh.ends), (1, 1120));
        table.give_back("k");
        table.give_back("k");
        assert_eq!(table.peek("k", 1061).unwrap().count, 0);
        table.clear("k");
        assert!(table.peek("k", 1061).is_none());
    }

    #[test]
    fn a_full_table_drops_the_oldest_window_below_its_limit_never_a_lockout() {
        let table = Table::with_capacity(1000);
        for _ in 0..3 {
            table.add("locked", LIMIT, 0).unwrap();
        }
        for i in 0..5000 {
            table.add(&format!("key {i}"), LIMIT, 1).unwrap();
        }
        assert_eq!(table.len(), 1000);
        assert!(table.lock().order.len() <= 1000 + TIDY_STEPS);
        assert_eq!(table.peek("locked", 2).unwrap().count, 3);
        assert!(table.peek("key 0", 2).is_none());
        assert!(table.peek("key 4999", 2).is_some());
    }

    #[test]
    fn a_table_of_lockouts_refuses_a_new_key_and_makes_room_once_they_end() {
        let table = Table::with_capacity(100);
        for i in 0..100 {
            for _ in 0..3 {
                table.add(&format!("key {i}"), LIMIT, 0).unwrap();
            }
        }
        assert!(table.add("new", LIMIT, 1).is_none());
        assert_eq!(table.add("key 7", LIMIT, 1).unwrap().count, 4);
        assert_eq!(table.add("new", LIMIT, 60).unwrap().count, 1);
    }
}

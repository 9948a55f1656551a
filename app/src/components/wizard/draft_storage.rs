//! Keeps the unfinished wizard in the browser's localStorage, so a reload or a later
//! visit picks up where the user left off. Each user's draft has its own key (account and
//! user, handed to the island by the page), so on a shared browser nobody is shown
//! another person's draft; **Sign out** removes it.

use crate::domain::wizard::{Draft, DraftKey, LEGACY_DRAFT_KEY};
use leptos::prelude::*;

/// The signed-in user's draft key, handed to an island by the server-rendered page
/// (`None`: nothing is kept).
#[derive(Debug, Clone, Copy)]
pub struct DraftKeys(StoredValue<Option<DraftKey>>);

impl DraftKeys {
    /// Provides `key` to the island's components (call at the top of the island).
    pub fn provide(key: Option<DraftKey>) -> Self {
        let keys = Self(StoredValue::new(key));
        provide_context(keys);
        keys
    }

    /// The key, if there is one.
    pub fn get(self) -> Option<DraftKey> {
        self.0.get_value()
    }
}

/// The signed-in user's draft keys, from the island's context (call while rendering).
pub fn signed_in_key() -> DraftKeys {
    use_context::<DraftKeys>().unwrap_or_else(|| DraftKeys(StoredValue::new(None)))
}

/// Restores the draft saved under `key` into `draft` once the page is live, then saves
/// every change. Returns a notice to show when a saved draft could not be read and was
/// dropped.
pub fn keep_in_browser(
    draft: RwSignal<Draft>,
    keys: DraftKeys,
) -> ReadSignal<Option<&'static str>> {
    let (notice, set_notice) = signal(None);
    let loaded = RwSignal::new(false);
    let key = StoredValue::new(None::<DraftKey>);
    // Effects run only in the browser, after hydration, so the server-rendered page and
    // the first browser render agree. This one loads once.
    Effect::new(move |_| {
        if loaded.get_untracked() {
            return;
        }
        let ready = keys.get();
        // The draft every user once shared is never shown to anyone.
        remove(LEGACY_DRAFT_KEY);
        key.set_value(ready.clone());
        let Some(key) = ready else {
            loaded.set(true);
            return;
        };
        match load(&key) {
            Loaded::Draft(saved) => draft.set(*saved),
            Loaded::Nothing => {}
            Loaded::Unreadable => {
                discard(Some(&key));
                set_notice.set(Some(
                    "Your saved draft could not be read (it may be from an older version) and was discarded.",
                ));
            }
        }
        loaded.set(true);
    });
    Effect::new(move |_| {
        let current = draft.get();
        if loaded.get() {
            key.with_value(|key| {
                if current == Draft::default() {
                    discard(key.as_ref());
                } else if let Some(key) = key {
                    save(key, &current);
                }
            });
        }
    });
    notice
}

#[derive(Debug, PartialEq)]
enum Loaded {
    Draft(Box<Draft>),
    Nothing,
    Unreadable,
}

fn load(key: &DraftKey) -> Loaded {
    decode(read(key.as_str()))
}

/// Reads a saved draft's text: an old, partial or tampered one is `Unreadable`.
fn decode(raw: Option<String>) -> Loaded {
    match raw {
        None => Loaded::Nothing,
        Some(text) => {
            serde_json::from_str(&text).map_or(Loaded::Unreadable, |d| Loaded::Draft(Box::new(d)))
        }
    }
}

#[cfg(feature = "hydrate")]
fn read(key: &str) -> Option<String> {
    use gloo_storage::{LocalStorage, Storage};
    LocalStorage::raw().get_item(key).ok().flatten()
}

#[cfg(not(feature = "hydrate"))]
fn read(_: &str) -> Option<String> {
    None
}

/// Replaces the draft saved under `key` with `draft`, for the wizard to pick up when it
/// opens (**Duplicate**). Without a key nothing is kept.
pub fn store(key: Option<&DraftKey>, draft: &Draft) {
    if let Some(key) = key {
        save(key, draft);
    }
}

#[cfg(feature = "hydrate")]
fn save(key: &DraftKey, draft: &Draft) {
    use gloo_storage::{LocalStorage, Storage};
    let _ = LocalStorage::set(key.as_str(), draft);
}

#[cfg(not(feature = "hydrate"))]
fn save(_: &DraftKey, _: &Draft) {}

/// Removes the draft saved under `key`.
pub fn discard(key: Option<&DraftKey>) {
    if let Some(key) = key {
        remove(key.as_str());
    }
}

fn remove(key: &str) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        LocalStorage::delete(key);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = key;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_saved_drafts_and_drops_bad_ones() {
        assert_eq!(decode(None), Loaded::Nothing);
        let saved = serde_json::to_string(&Draft {
            name: "abc".into(),
            ..Draft::default()
        })
        .unwrap();
        assert!(matches!(decode(Some(saved)), Loaded::Draft(d) if d.name == "abc"));
        assert_eq!(decode(Some("{oops".into())), Loaded::Unreadable);
        assert_eq!(
            decode(Some(r#"{"step":"Elsewhere"}"#.into())),
            Loaded::Unreadable
        );
        assert_eq!(
            decode(Some(r#"{"api_version":"fourteen"}"#.into())),
            Loaded::Unreadable
        );
    }
}

//! Keeps the unfinished wizard in the browser's localStorage, so a reload or a later
//! visit picks up where the user left off.

use crate::domain::wizard::Draft;
use leptos::prelude::*;

const KEY: &str = "tokensmith.create-token-draft";

/// Restores a saved draft into `draft` once the page is live, then saves every change.
/// Returns a notice to show when a saved draft could not be read and was dropped.
pub fn keep_in_browser(draft: RwSignal<Draft>) -> ReadSignal<Option<&'static str>> {
    let (notice, set_notice) = signal(None);
    let loaded = RwSignal::new(false);
    // Effects run only in the browser, after hydration, so the server-rendered page and
    // the first browser render agree.
    Effect::new(move |_| {
        match load() {
            Loaded::Draft(saved) => draft.set(saved),
            Loaded::Nothing => {}
            Loaded::Unreadable => {
                discard();
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
            if current == Draft::default() {
                discard();
            } else {
                save(&current);
            }
        }
    });
    notice
}

#[derive(Debug, PartialEq)]
enum Loaded {
    Draft(Draft),
    Nothing,
    Unreadable,
}

fn load() -> Loaded {
    decode(read())
}

/// Reads a saved draft's text: an old, partial or tampered one is `Unreadable`.
fn decode(raw: Option<String>) -> Loaded {
    match raw {
        None => Loaded::Nothing,
        Some(text) => serde_json::from_str(&text).map_or(Loaded::Unreadable, Loaded::Draft),
    }
}

#[cfg(feature = "hydrate")]
fn read() -> Option<String> {
    use gloo_storage::{LocalStorage, Storage};
    LocalStorage::raw().get_item(KEY).ok().flatten()
}

#[cfg(not(feature = "hydrate"))]
fn read() -> Option<String> {
    let _ = KEY;
    None
}

/// Replaces the saved draft with `draft`, for the wizard to pick up when it opens
/// (**Duplicate**).
pub fn store(draft: &Draft) {
    save(draft);
}

#[cfg(feature = "hydrate")]
fn save(draft: &Draft) {
    use gloo_storage::{LocalStorage, Storage};
    let _ = LocalStorage::set(KEY, draft);
}

#[cfg(not(feature = "hydrate"))]
fn save(_: &Draft) {}

/// Removes the saved draft.
pub fn discard() {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        LocalStorage::delete(KEY);
    }
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

//! A **Copy** button that puts a value on the clipboard and says so.

use leptos::prelude::*;

/// Copies `value` to the clipboard; `label` names what is copied for screen readers. The
/// button is plain markup: one listener for the whole page (`/enhance.js`) does
/// the copying, so a page needs no island for it.
#[component]
pub fn CopyButton(value: String, #[prop(into)] label: String) -> impl IntoView {
    view! {
        <button type="button" class="secondary copy" data-copy=value aria-label=format!("Copy {label}")>
            "Copy"
        </button>
        <span class="copy-status" role="status"></span>
    }
}

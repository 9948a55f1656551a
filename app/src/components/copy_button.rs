//! A **Copy** button that puts a value on the clipboard and says so.

use leptos::prelude::*;

/// Copies `value` to the clipboard; `label` names what is copied for screen readers.
#[island]
pub fn CopyButton(value: String, #[prop(into)] label: String) -> impl IntoView {
    crate::hydration::island_ready();
    let copied = RwSignal::new(false);
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            if let Some(window) = web_sys::window() {
                let _ = window.navigator().clipboard().write_text(&value);
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &value;
        copied.set(true);
        set_timeout(move || copied.set(false), std::time::Duration::from_secs(2));
    };
    view! {
        <button type="button" class="secondary copy" aria-label=format!("Copy {label}") on:click=copy>
            "Copy"
        </button>
        <span class="copy-status" role="status">
            {move || if copied.get() { "Copied" } else { "" }}
        </span>
    }
}

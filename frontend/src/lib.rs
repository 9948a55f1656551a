//! The wasm entry point: hydrates the page the server rendered.

use wasm_bindgen::JsValue;

// A wasm built without `cargo leptos … --split` serves islands that never hydrate: the
// page looks right and silently does nothing. Clippy only checks, so it may go without.
#[cfg(all(target_arch = "wasm32", not(wasm_split), not(clippy)))]
compile_error!(
    "build the site with `cargo leptos build --split` (or `watch --split`, `serve --split`): \
     without --split the islands never hydrate"
);

/// Called by the hydration script Leptos puts in every page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
        show_crash_notice();
    }));
    app::hydration::hydrate();
}

/// After a panic the wasm can't run again: it says so (`islands-failed`), and `/enhance.js`
/// puts the page's notice at its top instead of the page going quiet. The commonest cause
/// is an island's code chunk that failed to download (a lazy island panics when its chunk
/// doesn't load; cargo-leptos 0.3.10 offers no other hook).
fn show_crash_notice() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if let Ok(event) = web_sys::Event::new("islands-failed") {
        let _ = document.dispatch_event(&event);
    }
}

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

/// After a panic the wasm can't run again, so the page says so instead of going quiet. The
/// commonest cause is an island's code chunk that failed to download (a lazy island panics
/// when its chunk doesn't load; cargo-leptos 0.3.10 offers no other hook).
fn show_crash_notice() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let (Some(body), Ok(notice)) = (document.body(), document.create_element("div")) else {
        return;
    };
    if document.get_element_by_id("crash-notice").is_some() {
        return;
    }
    notice.set_id("crash-notice");
    notice.set_class_name("alert error crash-notice");
    let _ = notice.set_attribute("role", "alert");
    // `href=""` is this page's own URL; `rel="external"` keeps the router's link handler,
    // which is dead now, from taking the click.
    notice.set_inner_html(
        "<strong>This page stopped working.</strong> Part of its code didn't load, or failed. \
         Nothing you saved is lost, and the wizard keeps its draft. \
         <a href=\"\" rel=\"external\">Reload the page</a>",
    );
    let _ = body.prepend_with_node_1(&notice);
}

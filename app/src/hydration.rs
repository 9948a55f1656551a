//! The browser side of islands mode. The server renders every page; only its interactive
//! parts, the islands, ship code and hydrate (a big one, like the wizard, as a wasm chunk of
//! its own, fetched when a page has it); small controls get their behaviour from
//! `crate::enhance`. End-to-end tests wait for `data-hydrated` on `<body>`, set once the
//! listeners are on and every island of the page is live.

#[cfg(feature = "hydrate")]
thread_local! {
    static WAITING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Hydrates the page's islands (called by the wasm entry in `frontend`; it lives in this
/// crate so that the islands are linked into the wasm).
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    crate::enhance::install();
    let islands = leptos::prelude::document()
        .query_selector_all("leptos-island")
        .map_or(0, |found| found.length());
    WAITING.set(islands);
    if islands == 0 {
        mark_hydrated();
    }
    leptos::mount::hydrate_islands();
}

/// Called by every island as it renders: once it is live in the browser, one fewer to wait
/// for. Nothing on the server.
pub fn island_ready() {
    #[cfg(feature = "hydrate")]
    leptos::prelude::Effect::new(|_| {
        let left = WAITING.get().saturating_sub(1);
        WAITING.set(left);
        if left == 0 {
            mark_hydrated();
        }
    });
}

#[cfg(feature = "hydrate")]
fn mark_hydrated() {
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Sends the browser to `path` (a full page load: pages are rendered on the server).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// Loads the page again from the server.
pub fn reload_page() {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().reload();
    }
}

//! What islands do to the page they are on: say they are live (`data-islands-live` on
//! `<body>` and an `islands-live` event, once every island of the page is; `/enhance.js`
//! then sets `data-hydrated`, which end-to-end tests wait for), send the browser elsewhere,
//! load the page again. Nothing happens on the server.

#[cfg(feature = "hydrate")]
thread_local! {
    static WAITING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Counts the page's islands still to come alive; with none, they are all live at once.
#[cfg(feature = "hydrate")]
pub(crate) fn expect_islands() {
    let islands = leptos::prelude::document()
        .query_selector_all("leptos-island")
        .map_or(0, |found| found.length());
    WAITING.set(islands);
    if islands == 0 {
        mark_hydrated();
    }
}

/// Called by every island as it renders: once it is live in the browser, one fewer to wait
/// for.
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
    let document = leptos::prelude::document();
    if let Some(body) = document.body() {
        let _ = body.set_attribute("data-islands-live", "true");
    }
    if let Ok(event) = web_sys::Event::new("islands-live") {
        let _ = document.dispatch_event(&event);
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

/// The page's path and query, percent-encoded for a `next=` parameter; `/` on the server.
pub fn current_path_encoded() -> String {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos::prelude::window().location();
        let path = location.pathname().unwrap_or_else(|_| "/".to_string());
        let search = location.search().unwrap_or_default();
        String::from(js_sys::encode_uri_component(&format!("{path}{search}")))
    }
    #[cfg(not(feature = "hydrate"))]
    "%2F".to_string()
}

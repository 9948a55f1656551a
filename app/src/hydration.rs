//! The browser side of islands mode. The server renders every page; only its interactive
//! parts, the islands, ship code and hydrate (a big one, like the wizard, as a wasm chunk of
//! its own, fetched when a page has it); small controls get their behaviour from
//! `/enhance.js`, and a page without islands loads no wasm at all (`crate::app`'s page
//! script). `crate::browser` says when the islands are live.

/// What a page's module scripts wait for before they start (a module script may `await`
/// at its top): the first frame painted, so that their downloads never delay it.
pub const AFTER_FIRST_PAINT: &str =
    "await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted)));";

/// Hydrates the page's islands (called by the wasm entry in `frontend`; it lives in this
/// crate so that the islands are linked into the wasm).
#[cfg(feature = "hydrate")]
pub fn hydrate() {
    crate::browser::expect_islands();
    leptos::mount::hydrate_islands();
}

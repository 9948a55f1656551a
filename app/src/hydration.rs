//! The browser side of islands mode. The server renders every page; only its interactive
//! parts, the islands, ship code and hydrate; small controls get their behaviour from
//! `/enhance.js`, and a page without islands loads no wasm at all (`crate::app`'s page
//! script). `crate::browser` says when the islands are live.
//!
//! Two islands are lazy, each a wasm chunk fetched by the pages that have it: the wizard
//! and the token page's editor (and the editors behind its **Edit** buttons, a lazy
//! function). The small islands (password, security, users, webhooks, requests) are in the
//! main module. wasm-split cuts one chunk per set of split points that share code: with
//! every island lazy, the wizard loaded 106 chunks, whose fetching and instantiating held
//! the main thread (Lighthouse: 335 ms of blocking time, score 93); with two lazy islands it
//! loads 4 (15 ms, 100), and the small islands' pages load the main module alone.

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

//! The browser side of islands mode. The server renders every page; only its interactive
//! parts, the islands, ship code and hydrate; small controls get their behaviour from
//! `/enhance.js`, and a page without islands loads no wasm at all (`crate::app`'s page
//! script); on a token's page, whose island sits in a `CodeOnIntent` box, the code loads
//! on the user's first move to act (`/islands.js`). `crate::browser` says when the islands
//! are live.
//!
//! Four islands are lazy, their code fetched by the pages that have them: the wizard, the
//! token page's editor (and the editors behind its **Edit** buttons, a lazy function), the
//! users editor and a request's actions. The small ones (password, security, webhooks) are
//! in the main module. wasm-split cuts one chunk per set of split points that share code:
//! with all eight islands lazy, the wizard loaded 106 chunks, whose fetching and
//! instantiating held the main thread (Lighthouse: 335 ms of blocking time, score 93); with
//! four it loads 16 (59 ms, 100). With two it loaded 4 (15 ms), but every page with an
//! island carried the users editor and the request actions (+29 to +57 KB).

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

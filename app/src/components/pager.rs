//! **First**, **Previous**, where we are, **Next**, **Last**: plain links, so paging works
//! without JavaScript and every page has its own URL.

use crate::domain::paging::Page;
use leptos::prelude::*;

/// Links to the other pages of a list; `href` gives page `n`'s URL; `label` names the
/// navigation for assistive technology ("Pages", "History pages").
#[component]
pub fn Pager(page: Page, label: &'static str, href: Callback<u32, String>) -> impl IntoView {
    let link = move |text: &'static str, to: u32, rel: Option<&'static str>, enabled: bool| {
        if enabled {
            view! { <a href=href.run(to) rel=rel>{text}</a> }.into_any()
        } else {
            view! { <span aria-disabled="true">{text}</span> }.into_any()
        }
    };
    let (at, count) = (page.number, page.count);
    view! {
        <nav class="pager" aria-label=label>
            {link("First", 1, None, at > 1)}
            {link("Previous", at.saturating_sub(1), Some("prev"), at > 1)}
            <span class="pager-at" aria-current="page">{format!("Page {at} of {count}")}</span>
            {link("Next", at + 1, Some("next"), at < count)}
            {link("Last", count, None, at < count)}
        </nav>
    }
}

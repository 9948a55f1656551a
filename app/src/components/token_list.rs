//! The account's tokens as cards, a page at a time.

use super::{ExpiryTime, ExposureNote, Pager};
use crate::api::tokens::{TokenCard, TokenCards};
use crate::domain::paging::grouped;
use crate::domain::token_filter::TokenFilter;
use leptos::prelude::*;

/// One page of the live tokens that pass the filters, newest first, with how many there
/// are and links to the other pages; `asked_page` is the page the URL asked for.
#[component]
pub fn TokenList(tokens: TokenCards, filter: TokenFilter, asked_page: u32) -> impl IntoView {
    let TokenCards { cards, total, page } = tokens;
    if total == 0 {
        return view! { <p class="empty">"No access tokens yet"</p> }.into_any();
    }
    if cards.is_empty() {
        return view! {
            <p class="empty" role="status">
                "No tokens match these filters. "
                <a href="/settings/api">"Show all tokens"</a>
            </p>
        }
        .into_any();
    }
    let filtered = filter.is_active();
    let (first, last) = page.shown();
    let count = match (page.count, filtered) {
        (1, false) if total == 1 => "1 token".to_string(),
        (1, false) => format!("{} tokens", grouped(total)),
        (1, true) => format!(
            "Showing {} of {} tokens",
            grouped(page.items),
            grouped(total)
        ),
        (_, false) => format!("Showing {first}–{last} of {} tokens", grouped(total)),
        (_, true) => format!(
            "Showing {first}–{last} of {} matching tokens ({} in all)",
            grouped(page.items),
            grouped(total)
        ),
    };
    let moved = (asked_page > page.number).then(|| {
        view! {
            <p class="alert info" role="status">
                {format!("There is no page {asked_page}: this is the last page, {}.", page.number)}
            </p>
        }
    });
    let href = Callback::new(move |n: u32| filter.href(n));
    let pager = (page.count > 1).then(|| view! { <Pager page label="Pages" href /> });
    view! {
        {moved}
        <p class="list-count" role="status">{count}</p>
        <ul class="token-cards" aria-label="Access tokens">
            {cards.into_iter().map(|card| view! { <Card card /> }).collect_view()}
        </ul>
        {pager}
    }
    .into_any()
}

#[component]
fn Card(card: TokenCard) -> impl IntoView {
    let heading = format!("token-{}", card.sid);
    let href = format!("/settings/api/tokens/{}", card.sid);
    let labelled_by = heading.clone();
    let (state_class, state) = if card.expiry.expired {
        ("state expired", "Expired")
    } else if card.enabled {
        ("state enabled", "Enabled")
    } else {
        ("state disabled", "Disabled")
    };
    let expiry = card.expiry;
    let exposed = card
        .exposure
        .is_some()
        .then(|| view! { <span class="state exposed">"Exposed"</span> });
    let exposure = card
        .exposure
        .map(|exposure| view! { <ExposureNote exposure /> });
    view! {
        <li class="token-card" aria-labelledby=labelled_by>
            <div class="token-card-head">
                <h3 id=heading><a href=href>{card.name}</a></h3>
                {exposed}
                <span class=state_class>{state}</span>
            </div>
            {exposure}
            {(!card.description.is_empty()).then(|| view! { <p class="description">{card.description}</p> })}
            <dl class="facts">
                <div><dt>"API version"</dt><dd>{format!("v{}", card.api_version)}</dd></div>
                <div><dt>"Scopes"</dt><dd>{card.scope_count}</dd></div>
                <div><dt>"Primary contact"</dt><dd>{card.primary_contact}</dd></div>
                <div><dt>"Created"</dt><dd>{format!("{} by {}", card.created_at, card.created_by)}</dd></div>
                <div><dt>"Expiration"</dt><dd><ExpiryTime expiry /></dd></div>
                <div><dt>"Last used"</dt><dd>{card.last_used_at.unwrap_or_else(|| "never".to_string())}</dd></div>
                <div><dt>"Token SID"</dt><dd><code>{card.sid}</code></dd></div>
            </dl>
        </li>
    }
}

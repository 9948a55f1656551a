//! The account's tokens as cards, a page at a time.

mod card;

use super::markup::Markup;
use super::Pager;
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
        <ul class="token-cards" aria-label="Access tokens" inner_html=cards_markup(&cards)></ul>
        {pager}
    }
    .into_any()
}

/// The cards as markup (see [`card`]).
fn cards_markup(cards: &[TokenCard]) -> String {
    let mut markup = Markup::with_capacity(cards.len() * card::CARD_BYTES);
    for card in cards {
        card::write_card(&mut markup, card);
    }
    markup.into_string()
}

//! The account's tokens as cards.

use crate::api::tokens::TokenCard;
use leptos::prelude::*;

/// The live tokens that pass the filters, newest first; `total` counts them all.
#[component]
pub fn TokenList(tokens: Vec<TokenCard>, total: usize, filtered: bool) -> impl IntoView {
    if total == 0 {
        return view! { <p class="empty">"No access tokens yet"</p> }.into_any();
    }
    if tokens.is_empty() {
        return view! {
            <p class="empty" role="status">
                "No tokens match these filters. "
                <a href="/settings/api">"Show all tokens"</a>
            </p>
        }
        .into_any();
    }
    let count = if filtered {
        format!("Showing {} of {total} tokens", tokens.len())
    } else {
        match total {
            1 => "1 token".to_string(),
            n => format!("{n} tokens"),
        }
    };
    view! {
        <p class="list-count" role="status">{count}</p>
        <ul class="token-cards" aria-label="Access tokens">
            {tokens.into_iter().map(|card| view! { <Card card /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn Card(card: TokenCard) -> impl IntoView {
    let heading = format!("token-{}", card.sid);
    let href = format!("/settings/api/tokens/{}", card.sid);
    let labelled_by = heading.clone();
    let (state_class, state) = if card.enabled {
        ("state enabled", "Enabled")
    } else {
        ("state disabled", "Disabled")
    };
    view! {
        <li class="token-card" aria-labelledby=labelled_by>
            <div class="token-card-head">
                <h3 id=heading><a href=href>{card.name}</a></h3>
                <span class=state_class>{state}</span>
            </div>
            {(!card.description.is_empty()).then(|| view! { <p class="description">{card.description}</p> })}
            <dl class="facts">
                <div><dt>"API version"</dt><dd>{format!("v{}", card.api_version)}</dd></div>
                <div><dt>"Scopes"</dt><dd>{card.scope_count}</dd></div>
                <div><dt>"Primary contact"</dt><dd>{card.primary_contact}</dd></div>
                <div><dt>"Created"</dt><dd>{format!("{} by {}", card.created_at, card.created_by)}</dd></div>
                <div><dt>"Last used"</dt><dd>{card.last_used_at.unwrap_or_else(|| "never".to_string())}</dd></div>
                <div><dt>"Token SID"</dt><dd><code>{card.sid}</code></dd></div>
            </dl>
        </li>
    }
}

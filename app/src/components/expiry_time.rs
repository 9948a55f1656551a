//! When a token expires, in words, with the exact time on hover.

use crate::api::tokens::Expiry;
use leptos::prelude::*;

/// "Expires in 12 days" as a `<time>` whose title is the exact instant (the browser shows
/// it in the user's zone: `data-local`, see `/enhance.js`).
#[component]
pub fn ExpiryTime(expiry: Expiry) -> impl IntoView {
    let class = if expiry.expired {
        "expiry expired"
    } else {
        "expiry"
    };
    match expiry.datetime {
        Some(datetime) => view! {
            <time
                class=class
                datetime=datetime
                title=expiry.exact
                data-local=if expiry.expired { "expired" } else { "" }
            >
                {expiry.label}
            </time>
        }
        .into_any(),
        None => view! { <span class=class>{expiry.label}</span> }.into_any(),
    }
}

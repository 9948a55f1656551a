//! Where and when a token's secret was reported exposed: on its card in the list, its
//! page and the home page. The URL is a link only when a signed GitHub report gave an
//! `https://` one; anything else is shown as text.

use crate::api::tokens::Exposure;
use leptos::prelude::*;

/// The **Exposed** note.
#[component]
pub fn ExposureNote(exposure: Exposure) -> impl IntoView {
    let Exposure {
        at,
        url,
        link,
        reporter,
    } = exposure;
    let place = url.map(|url| {
        let shown = if link {
            let href = url.clone();
            view! { <a href=href rel="noopener noreferrer nofollow" target="_blank">{url}</a> }
                .into_any()
        } else {
            view! { <code>{url}</code> }.into_any()
        };
        view! { <p class="found-at">"Found at " {shown}</p> }
    });
    view! {
        <div class="exposure" role="note">
            <p>
                <strong>"Found in public"</strong>
                {format!(" — reported {at} by {reporter}. Reset the token to issue a new secret.")}
            </p>
            {place}
        </div>
    }
}

//! The **Enable API access** switch: a form that posts to the `set_api_access` server
//! function. Without JavaScript a click posts it and the server sends the browser back to
//! the page; with it, `/enhance.js` saves in place and reports in the status line (the
//! words it may need are in the form's `data-` attributes), so the API page needs no wasm.

use crate::api::settings::SetApiAccess;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The switch, showing `enabled`.
#[component]
pub fn ApiAccessSwitch(enabled: bool) -> impl IntoView {
    view! {
        <form
            class="api-access"
            method="post"
            action=SetApiAccess::url()
            data-api-access=""
            data-hint-on=hint(true)
            data-hint-off=hint(false)
            data-problems=AppError::words_by_name()
        >
            <input type="hidden" name="enabled" value=(!enabled).to_string() />
            <div class="switch-row">
                <button type="submit" class="switch" role="switch" aria-checked=enabled.to_string()>
                    <span class="switch-track" aria-hidden="true"></span>
                    <span class="switch-label">"Enable API access"</span>
                </button>
                <span class="save-status" role="status"></span>
            </div>
            <p class="hint">{hint(enabled)}</p>
        </form>
    }
}

/// What the state means, under the switch.
pub fn hint(enabled: bool) -> &'static str {
    if enabled {
        "API access is on: this account's enabled tokens can authenticate."
    } else {
        "API access is off: no token of this account authenticates anywhere."
    }
}

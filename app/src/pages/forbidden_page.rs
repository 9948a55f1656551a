//! What a role that may not see a page gets, with HTTP 403.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The "you don't have access" page; `hint` says who may open it (API settings' people
/// unless told).
#[component]
pub fn ForbiddenPage(#[prop(optional, into)] hint: Option<String>) -> impl IntoView {
    let hint = hint.unwrap_or_else(|| {
        "API settings are open to Account Administrators and Implementation Specialists. Ask one of them if you need a token.".to_string()
    });
    super::mark_status(&AppError::Forbidden);
    view! {
        <Title text="No access" />
        <section class="notice">
            <h1>"No access"</h1>
            <p>"You don't have access to this page."</p>
            <p class="hint">{hint}</p>
            <p><a href="/">"Go to your home page"</a></p>
        </section>
    }
}

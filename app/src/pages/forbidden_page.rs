//! What a role that may not see a page gets, with HTTP 403.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// The "you don't have access" page.
#[component]
pub fn ForbiddenPage() -> impl IntoView {
    super::mark_status(&AppError::Forbidden);
    view! {
        <Title text="No access" />
        <section class="notice">
            <h1>"No access"</h1>
            <p>"You don't have access to this page."</p>
            <p class="hint">
                "API settings are open to Account Administrators and Implementation Specialists. Ask one of them if you need a token."
            </p>
        </section>
    }
}

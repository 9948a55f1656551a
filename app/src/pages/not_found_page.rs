//! The page for any unknown address, with HTTP 404.

use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// "Page not found".
#[component]
pub fn NotFoundPage() -> impl IntoView {
    super::mark_status(&AppError::NotFound);
    view! {
        <Title text="Page not found" />
        <main class="notice standalone">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address."</p>
            <p>
                <a href="/settings/api">"Go to API settings"</a>
            </p>
        </main>
    }
}

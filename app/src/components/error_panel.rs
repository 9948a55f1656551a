//! How an error that stops a page from loading is shown.

use crate::error::AppError;
use leptos::prelude::*;

/// The error's message, announced to screen readers.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    view! {
        <div class="alert error" role="alert">
            {error.to_string()}
        </div>
    }
}

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

/// A failed action's error beside the control that made it. Sudo mode's refusal links to
/// **Confirm access**, which comes back to this page.
#[component]
pub fn ActionError(error: AppError) -> impl IntoView {
    let confirm = (error == AppError::ConfirmAccess).then(|| {
        let href = format!(
            "/confirm-access?next={}",
            crate::browser::current_path_encoded()
        );
        view! { <a class="button primary" href=href>"Confirm access"</a> }
    });
    view! {
        <div class="alert error" role="alert">
            <p>{error.to_string()}</p>
            {confirm}
        </div>
    }
}

//! A field's error text, announced and linked to its control.

use leptos::prelude::*;

/// The error text to show for a field, announced and linked to its control.
#[component]
pub fn FieldMessage(id: &'static str, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field-error" id=id aria-live="polite">
            {move || message.get()}
        </p>
    }
}

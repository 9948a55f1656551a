//! One choice of a policy's radio group: the button, its label and its hint (linked).

use leptos::prelude::*;

/// A radio button `name`=`value` with its label and hint, ids from `id`.
#[component]
pub fn RadioChoice(
    id: String,
    name: &'static str,
    value: &'static str,
    label: &'static str,
    hint: &'static str,
    checked: bool,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="radio-field">
            <input type="radio" id=id.clone() name=name value=value checked=checked aria-describedby=hint_id.clone() />
            <label for=id>{label}</label>
            <p class="hint" id=hint_id>{hint}</p>
        </div>
    }
}

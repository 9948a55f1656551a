//! The wizard's end when the account's tokens need approval: a **Reason** for the request
//! and, once sent, where to follow it.

use super::WizardState;
use crate::api::requests::MadeRequest;
use crate::components::FieldMessage;
use crate::domain::token_request::REASON_MAX;
use crate::domain::wizard::Field;
use leptos::prelude::*;

/// The **Reason** box under the review.
#[component]
pub fn ReasonField(wizard: WizardState, reason: RwSignal<String>) -> impl IntoView {
    let message = wizard.message_signal(Field::Reason);
    view! {
        <div class="field">
            <label for="request-reason">"Reason"</label>
            <p class="hint" id="request-reason-hint">
                "An Account Administrator approves tokens for this account: say what the token is for and who will hold it."
            </p>
            <textarea
                id="request-reason"
                name="reason"
                rows="3"
                maxlength=REASON_MAX.to_string()
                required
                aria-describedby="request-reason-hint request-reason-error"
                aria-invalid=move || message.get().is_some().then_some("true")
                prop:value=move || reason.get()
                on:input=move |ev| {
                    reason.set(event_target_value(&ev));
                    wizard.edit(Field::Reason, |_| {});
                }
            ></textarea>
            <FieldMessage id="request-reason-error" message />
        </div>
    }
}

/// After **Request token**: nothing minted yet, and where the request is followed.
#[component]
pub fn RequestedView(request: MadeRequest) -> impl IntoView {
    let href = format!("/settings/api/requests/{}", request.id);
    view! {
        <section class="card created" aria-labelledby="requested-heading">
            <h2 id="requested-heading">"Token requested"</h2>
            <p role="status">
                "Your Account Administrators have been told. Once one approves, open the request to see the token's Auth Token, once, within 7 days."
            </p>
            <div class="wizard-actions">
                <span class="spacer"></span>
                <a class="button primary" href=href>"View request"</a>
            </div>
        </section>
    }
}

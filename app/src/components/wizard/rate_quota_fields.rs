//! **Limits**: a token's **Rate limit** and **Quota**, both optional, on the wizard's Setup
//! step and the token page's Limits editor.

use super::WizardState;
use crate::components::FieldMessage;
use crate::domain::limits::{LimitsForm, Per, Refill};
use crate::domain::wizard::Field;
use leptos::prelude::*;

/// The two limits, in a group of their own.
#[component]
pub fn RateQuotaFields(wizard: WizardState) -> impl IntoView {
    let periods = Per::ALL.map(|per| (per.id(), per.id()));
    let refills = Refill::ALL.map(|refill| (refill.id(), refill.label()));
    view! {
        <fieldset class="field limits">
            <legend>"Limits"<span class="optional">" (optional)"</span></legend>
            <p class="hint" id="token-limits-hint">
                "Calls over a limit are refused with 429 until the window turns. Windows follow UTC. Leave a number empty for no limit."
            </p>
            <LimitRow
                wizard
                field=Field::RateLimit
                label="Rate limit"
                error_id="token-rate-limit-error"
                placeholder="No rate limit"
                number=Part { read: |l| &l.rate_requests, write: |l, v| l.rate_requests = v }
                choice_label="requests per"
                choice_id="token-rate-per"
                choice=Part { read: |l| &l.rate_per, write: |l, v| l.rate_per = v }
                choices=periods.to_vec()
            />
            <LimitRow
                wizard
                field=Field::Quota
                label="Quota"
                error_id="token-quota-error"
                placeholder="No quota"
                number=Part { read: |l| &l.quota_calls, write: |l, v| l.quota_calls = v }
                choice_label="Refill"
                choice_id="token-quota-refill"
                choice=Part { read: |l| &l.quota_refill, write: |l, v| l.quota_refill = v }
                choices=refills.to_vec()
            />
        </fieldset>
    }
}

/// One text of [`LimitsForm`]: how it is read and written.
#[derive(Clone, Copy)]
struct Part {
    read: fn(&LimitsForm) -> &String,
    write: fn(&mut LimitsForm, String),
}

/// A number and its choice (period or refill), with the field's message.
#[allow(clippy::too_many_arguments)]
#[component]
fn LimitRow(
    wizard: WizardState,
    field: Field,
    label: &'static str,
    /// The message's id.
    error_id: &'static str,
    placeholder: &'static str,
    number: Part,
    choice_label: &'static str,
    choice_id: &'static str,
    choice: Part,
    /// `(id, label)` of each option.
    choices: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let draft = wizard.draft;
    let value = move |part: Part| draft.with(|d| (part.read)(&d.limits).clone());
    let id = field.control_id();
    view! {
        <div class="limit-row">
            <label for=id>{label}</label>
            <input
                id=id
                inputmode="numeric"
                autocomplete="off"
                placeholder=placeholder
                aria-describedby=format!("token-limits-hint {error_id}")
                aria-invalid=move || wizard.message(field).is_some().to_string()
                prop:value=move || value(number)
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    wizard.edit(field, |d| (number.write)(&mut d.limits, typed));
                }
                on:blur=move |_| wizard.left(field)
            />
            <label for=choice_id class="sub-label">{choice_label}</label>
            <select
                id=choice_id
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    wizard.edit(field, |d| (choice.write)(&mut d.limits, chosen));
                }
            >
                {choices
                    .into_iter()
                    .map(|(option, text)| {
                        view! { <option value=option selected=move || value(choice) == option>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <FieldMessage id=error_id message=wizard.message_signal(field) />
        </div>
    }
}

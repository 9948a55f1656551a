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
    let draft = wizard.draft;
    let value = move |read: fn(&LimitsForm) -> &String| draft.with(|d| read(&d.limits).clone());
    let invalid = move |field| move || wizard.message(field).is_some().to_string();
    view! {
        <fieldset class="field limits">
            <legend>"Limits"<span class="optional">" (optional)"</span></legend>
            <p class="hint" id="token-limits-hint">
                "Calls over a limit are refused with 429 until the window turns. Windows follow UTC. Leave a number empty for no limit."
            </p>
            <div class="limit-row">
                <label for="token-rate-limit">"Rate limit"</label>
                <input
                    id="token-rate-limit"
                    inputmode="numeric"
                    autocomplete="off"
                    placeholder="No rate limit"
                    aria-describedby="token-limits-hint token-rate-limit-error"
                    aria-invalid=invalid(Field::RateLimit)
                    prop:value=move || value(|l| &l.rate_requests)
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        wizard.edit(Field::RateLimit, |d| d.limits.rate_requests = typed);
                    }
                    on:blur=move |_| wizard.left(Field::RateLimit)
                />
                <label for="token-rate-per" class="sub-label">"requests per"</label>
                <select
                    id="token-rate-per"
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev);
                        wizard.edit(Field::RateLimit, |d| d.limits.rate_per = chosen);
                    }
                >
                    {Per::ALL
                        .into_iter()
                        .map(|per| {
                            let id = per.id();
                            view! {
                                <option value=id selected=move || value(|l| &l.rate_per) == id>{id}</option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldMessage id="token-rate-limit-error" message=wizard.message_signal(Field::RateLimit) />
            </div>
            <div class="limit-row">
                <label for="token-quota">"Quota"</label>
                <input
                    id="token-quota"
                    inputmode="numeric"
                    autocomplete="off"
                    placeholder="No quota"
                    aria-describedby="token-limits-hint token-quota-error"
                    aria-invalid=invalid(Field::Quota)
                    prop:value=move || value(|l| &l.quota_calls)
                    on:input=move |ev| {
                        let typed = event_target_value(&ev);
                        wizard.edit(Field::Quota, |d| d.limits.quota_calls = typed);
                    }
                    on:blur=move |_| wizard.left(Field::Quota)
                />
                <label for="token-quota-refill" class="sub-label">"Refill"</label>
                <select
                    id="token-quota-refill"
                    on:change=move |ev| {
                        let chosen = event_target_value(&ev);
                        wizard.edit(Field::Quota, |d| d.limits.quota_refill = chosen);
                    }
                >
                    {Refill::ALL
                        .into_iter()
                        .map(|refill| {
                            let id = refill.id();
                            view! {
                                <option value=id selected=move || value(|l| &l.quota_refill) == id>
                                    {refill.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldMessage id="token-quota-error" message=wizard.message_signal(Field::Quota) />
            </div>
        </fieldset>
    }
}

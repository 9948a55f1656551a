//! Step 1, **Setup**: Token Name, Description, API Version, Expiration, Allowed IP
//! addresses and the optional Limits.

use super::limits_fields::{AllowedIpsField, ExpirationField};
use super::rate_quota_fields::RateQuotaFields;
use super::WizardState;
use crate::components::FieldMessage;
use crate::domain::expiration::TokenPolicy;
use crate::domain::wizard::Field;
use crate::domain::{ApiVersion, Description};
use leptos::prelude::*;

/// Name, description, version and the token's limits; `policy` bounds **Expiration**.
#[component]
pub fn SetupStep(wizard: WizardState, policy: TokenPolicy) -> impl IntoView {
    let draft = wizard.draft;
    view! {
        <h2>"Setup"</h2>
        <NameAndDescription wizard />
        <div class="field">
            <label for="token-api-version">"API Version"</label>
            <select
                id="token-api-version"
                aria-describedby="token-api-version-hint token-api-version-error"
                on:change=move |ev| {
                    let value = event_target_value(&ev).parse().unwrap_or(0);
                    wizard.edit(Field::ApiVersion, |d| d.api_version = value);
                }
            >
                {ApiVersion::ALL
                    .into_iter()
                    .map(|version| {
                        let number = version.get();
                        let label = if version == ApiVersion::LATEST {
                            format!("{version} (latest)")
                        } else {
                            version.to_string()
                        };
                        view! {
                            <option
                                value=number.to_string()
                                selected=move || draft.with(|d| d.api_version == number)
                            >
                                {label}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="hint" id="token-api-version-hint">
                "We suggest the latest version. A token's version can be raised later, never lowered."
            </p>
            <FieldMessage id="token-api-version-error" message=wizard.message_signal(Field::ApiVersion) />
        </div>
        <ExpirationField wizard policy />
        <AllowedIpsField wizard />
        <RateQuotaFields wizard />
    }
}

/// **Token Name** and **Description**: the wizard's first step and the detail page's
/// Overview share them.
#[component]
pub fn NameAndDescription(wizard: WizardState) -> impl IntoView {
    let draft = wizard.draft;
    let invalid = move |field| move || wizard.message(field).is_some().to_string();
    let description_count = move || draft.with(|d| d.description.trim().chars().count());
    view! {
        <div class="field">
            <label for="token-name">"Token Name"</label>
            <input
                id="token-name"
                type="text"
                autocomplete="off"
                aria-describedby="token-name-hint token-name-error"
                aria-invalid=invalid(Field::TokenName)
                prop:value=move || draft.with(|d| d.name.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    wizard.edit(Field::TokenName, |d| d.name = value);
                }
                on:blur=move |_| wizard.left(Field::TokenName)
            />
            <p class="hint" id="token-name-hint">"3 to 64 characters, unique among your account's tokens."</p>
            <FieldMessage id="token-name-error" message=wizard.message_signal(Field::TokenName) />
        </div>
        <div class="field">
            <label for="token-description">"Description"</label>
            <textarea
                id="token-description"
                rows="3"
                aria-describedby="token-description-hint token-description-error"
                aria-invalid=invalid(Field::Description)
                prop:value=move || draft.with(|d| d.description.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    wizard.edit(Field::Description, |d| d.description = value);
                }
                on:blur=move |_| wizard.left(Field::Description)
            ></textarea>
            <p class="hint" id="token-description-hint">
                "Optional: what the token is for. "
                {description_count}
                " / "
                {Description::MAX}
            </p>
            <FieldMessage id="token-description-error" message=wizard.message_signal(Field::Description) />
        </div>
    }
}

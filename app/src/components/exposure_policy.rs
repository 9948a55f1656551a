//! **When a token is exposed** on the API page: what a secret-scanning report of one of
//! the account's secrets does. A plain form for the Account Administrator (it posts
//! without JavaScript and the page comes back); others see the choice in force.

use super::radio_choice::RadioChoice;
use crate::api::settings::SetExposurePolicy;
use crate::domain::exposure::ExposurePolicy;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The **Leaked tokens** card.
#[component]
pub fn ExposurePolicySection(policy: ExposurePolicy, can_set: bool) -> impl IntoView {
    let body = if can_set {
        let choices = ExposurePolicy::ALL
            .into_iter()
            .map(|choice| {
                view! {
                    <RadioChoice
                        id=format!("exposure-{}", choice.id())
                        name="policy"
                        value=choice.id()
                        label=choice.label()
                        hint=choice.hint()
                        checked=choice == policy
                    />
                }
            })
            .collect_view();
        view! {
            <form class="policy-form" method="post" action=SetExposurePolicy::url()>
                <fieldset>
                    <legend>"When a token is exposed"</legend>
                    {choices}
                </fieldset>
                <button type="submit" class="secondary">"Save"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p>
                "When a token is exposed: " <strong>{policy.label()}</strong> ". "
                {policy.hint()}
            </p>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="exposure-heading">
            <h2 id="exposure-heading">"Leaked tokens"</h2>
            <p class="lede">
                "When GitHub's secret scanning or anyone else reports one of your Auth Tokens found in public, Tokensmith acts within a second, records where it was found and mails the token's contacts and your administrators."
            </p>
            {body}
        </section>
    }
}

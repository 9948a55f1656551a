//! The account's token policy on the API page: what it is, a plain form for the Account
//! Administrator (it posts without JavaScript and the page comes back), and the tokens
//! made before it that outlive it, which keep their expiration until someone acts.

use crate::api::settings::{ApiSettings, SetTokenPolicy};
use crate::components::ExpiryTime;
use crate::domain::expiration::MAX_LIFETIME_CHOICES;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The **Token policy** card.
#[component]
pub fn TokenPolicySection(settings: ApiSettings) -> impl IntoView {
    let policy = settings.token_policy;
    let form = settings.can_set_policy.then(|| {
        view! {
            <form class="policy-form" method="post" action=SetTokenPolicy::url()>
                <div class="field">
                    <label for="policy-max-lifetime">"Maximum lifetime"</label>
                    <select id="policy-max-lifetime" name="max_lifetime">
                        {MAX_LIFETIME_CHOICES
                            .into_iter()
                            .map(|choice| {
                                let (value, label) = match choice {
                                    Some(days) => (days.to_string(), format!("{days} days")),
                                    None => (String::new(), "No maximum".to_string()),
                                };
                                view! {
                                    <option value=value selected=choice == policy.max_lifetime_days>
                                        {label}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field checkbox-field">
                    <input
                        id="policy-allow-never"
                        type="checkbox"
                        name="allow_never"
                        value="true"
                        checked=policy.never_allowed()
                        aria-describedby="policy-allow-never-hint"
                    />
                    <label for="policy-allow-never">"Allow tokens that never expire"</label>
                    <p class="hint" id="policy-allow-never-hint">
                        "Only without a maximum lifetime."
                    </p>
                </div>
                <button type="submit" class="secondary">"Save policy"</button>
            </form>
        }
    });
    let beyond = settings.beyond_policy;
    let beyond_list = (!beyond.is_empty()).then(|| {
        view! {
            <div class="alert info" role="status">
                <p>
                    {format!(
                        "{}{} token{} made before this policy outlive{} it and keep{} working as they are:",
                        if beyond.len() >= 50 { "At least " } else { "" },
                        beyond.len(),
                        if beyond.len() == 1 { "" } else { "s" },
                        if beyond.len() == 1 { "s" } else { "" },
                        if beyond.len() == 1 { "s" } else { "" },
                    )}
                </p>
                <ul class="beyond-policy">
                    {beyond
                        .into_iter()
                        .map(|token| {
                            let href = format!("/settings/api/tokens/{}", token.sid);
                            view! {
                                <li><a href=href>{token.name}</a> " — " <ExpiryTime expiry=token.expiry /></li>
                            }
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    });
    view! {
        <section class="card" aria-labelledby="policy-heading">
            <h2 id="policy-heading">"Token policy"</h2>
            <p class="lede">{policy.describe()}</p>
            {form}
            {beyond_list}
        </section>
    }
}

//! **Limits for new tokens** on the API page: the limits the wizard starts a new token
//! with, and the highest any token may have. A plain form for the Account Administrator
//! (it posts without JavaScript and the page comes back); others see the policy in force.

use crate::api::settings::SetLimitsPolicy;
use crate::domain::limits::{Limits, LimitsPolicy, Per, Refill};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The card.
#[component]
pub fn LimitsPolicySection(policy: LimitsPolicy, can_set: bool) -> impl IntoView {
    let body = if can_set {
        view! {
            <form class="policy-form limits-policy" method="post" action=SetLimitsPolicy::url()>
                <LimitsRows legend="Default limits" prefix="default" limits=policy.defaults />
                <LimitsRows legend="Highest limits" prefix="max" limits=policy.ceiling />
                <p class="hint">
                    "Leave a number empty for none. A highest limit holds every token to it: one without that limit, or with more, can't be created or saved."
                </p>
                <button type="submit" class="secondary">"Save limits policy"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <dl class="facts">
                <div><dt>"Default rate limit"</dt><dd>{policy.defaults.rate_words()}</dd></div>
                <div><dt>"Default quota"</dt><dd>{policy.defaults.quota_words()}</dd></div>
                <div><dt>"Highest rate limit"</dt><dd>{policy.ceiling.rate_words()}</dd></div>
                <div><dt>"Largest quota"</dt><dd>{policy.ceiling.quota_words()}</dd></div>
            </dl>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-labelledby="limits-policy-heading">
            <h2 id="limits-policy-heading">"Limits for new tokens"</h2>
            <p class="lede">
                "A token's rate limit and quota cap what the services holding it may call. The wizard starts every new token with the default limits. "
                <a href="/settings/api/budgets">"Budgets"</a>
                " share one rate limit or quota among several tokens."
            </p>
            {body}
        </section>
    }
}

/// A rate limit and a quota, as the form's fields named `<prefix>_…` (`prefix` empty: the
/// bare names), their ids starting `<id_prefix or prefix>-`.
#[component]
pub fn LimitsRows(
    legend: &'static str,
    prefix: &'static str,
    limits: Limits,
    #[prop(optional)] id_prefix: Option<String>,
) -> impl IntoView {
    let form = limits.form();
    let ids = id_prefix.unwrap_or_else(|| prefix.to_string());
    let id = |name: &str| format!("{ids}-{name}");
    let named = |name: &str| {
        if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}_{name}")
        }
    };
    let periods = Per::ALL
        .into_iter()
        .map(|per| {
            let selected = form.rate_per == per.id();
            view! { <option value=per.id() selected=selected>{per.id()}</option> }
        })
        .collect_view();
    let refills = Refill::ALL
        .into_iter()
        .map(|refill| {
            let selected = form.quota_refill == refill.id();
            view! { <option value=refill.id() selected=selected>{refill.label()}</option> }
        })
        .collect_view();
    view! {
        <fieldset>
            <legend>{legend}</legend>
            <div class="limit-row">
                <label for=id("rate")>"Rate limit"</label>
                <input id=id("rate") name=named("rate_requests") inputmode="numeric" autocomplete="off" value=form.rate_requests.clone() />
                <label for=id("per") class="sub-label">"requests per"</label>
                <select id=id("per") name=named("rate_per")>{periods}</select>
            </div>
            <div class="limit-row">
                <label for=id("quota")>"Quota"</label>
                <input id=id("quota") name=named("quota_calls") inputmode="numeric" autocomplete="off" value=form.quota_calls.clone() />
                <label for=id("refill") class="sub-label">"Refill"</label>
                <select id=id("refill") name=named("quota_refill")>{refills}</select>
            </div>
        </fieldset>
    }
}

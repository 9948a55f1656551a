//! What the caller may do to a token request, as a lazy island: **Approve** (the requested
//! scopes to keep, an expiration no later, limits no looser) and **Deny** with a reason
//! for an Account Administrator; **Withdraw** and, once approved, **Show Auth Token** (once)
//! for its requester. Each reloads the page when it lands.

use crate::api::requests::{
    ApproveRequest, ClaimRequest, DenyRequest, RequestedScope, WithdrawRequest,
};
use crate::components::wizard::CreatedView;
use crate::components::ActionError;
use crate::domain::expiration::Expiration;
use crate::domain::limits::{LimitsForm, Per, Refill};
use crate::domain::token_request::{Narrowing, REASON_MAX};
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// What a request's page offers the caller.
#[island(lazy)]
pub fn RequestActions(
    id: i64,
    can_decide: bool,
    can_withdraw: bool,
    can_claim: bool,
    scopes: Vec<RequestedScope>,
    limits: LimitsForm,
) -> impl IntoView {
    crate::browser::island_ready();
    let approve = ServerAction::<ApproveRequest>::new();
    let deny = ServerAction::<DenyRequest>::new();
    let withdraw = ServerAction::<WithdrawRequest>::new();
    let claim = ServerAction::<ClaimRequest>::new();
    Effect::new(move |_| {
        let landed = matches!(approve.value().get(), Some(Ok(())))
            || matches!(deny.value().get(), Some(Ok(())))
            || matches!(withdraw.value().get(), Some(Ok(())));
        if landed {
            crate::browser::reload_page();
        }
    });
    let error = move || -> Option<AppError> {
        [
            approve.value().get().and_then(Result::err),
            deny.value().get().and_then(Result::err),
            withdraw.value().get().and_then(Result::err),
            claim.value().get().and_then(Result::err),
        ]
        .into_iter()
        .flatten()
        .next()
    };
    let busy = move || {
        approve.pending().get()
            || deny.pending().get()
            || withdraw.pending().get()
            || claim.pending().get()
    };
    let claimed = move || claim.value().get().and_then(Result::ok);
    let decide = can_decide
        .then(|| view! { <DecideForms id scopes limits approve deny busy=Signal::derive(busy) /> });
    let withdraw_form = can_withdraw.then(|| {
        view! {
            <section class="card" aria-labelledby="withdraw-heading">
                <h2 id="withdraw-heading">"Withdraw"</h2>
                <p>"Take the request back while nobody has decided it."</p>
                <button
                    type="button"
                    class="secondary danger"
                    disabled=busy
                    on:click=move |_| {
                        withdraw.dispatch(WithdrawRequest { id: id.to_string() });
                    }
                >
                    "Withdraw request"
                </button>
            </section>
        }
    });
    let claim_button = can_claim.then(|| {
        view! {
            <Show
                when=move || claimed().is_none()
                fallback=move || claimed().map(|token| view! { <CreatedView token /> })
            >
                <section class="card" aria-labelledby="claim-heading">
                    <h2 id="claim-heading">"Your token is approved"</h2>
                    <p>"Its Auth Token is shown to you once: have somewhere safe to keep it, such as a secrets manager, before you show it."</p>
                    <button
                        type="button"
                        class="primary"
                        disabled=busy
                        on:click=move |_| {
                            claim.dispatch(ClaimRequest { id });
                        }
                    >
                        "Show Auth Token"
                    </button>
                </section>
            </Show>
        }
    });
    view! {
        <div class="request-actions">
            {move || {
                error()
                    .map(|error| {
                        let fields: Vec<String> =
                            error.field_errors().iter().map(ToString::to_string).collect();
                        view! {
                            <ActionError error />
                            <ul class="field-errors">
                                {fields.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
            {claim_button}
            {decide}
            {withdraw_form}
        </div>
    }
}

/// **Approve** and **Deny**.
#[component]
fn DecideForms(
    id: i64,
    scopes: Vec<RequestedScope>,
    limits: LimitsForm,
    approve: ServerAction<ApproveRequest>,
    deny: ServerAction<DenyRequest>,
    busy: Signal<bool>,
) -> impl IntoView {
    let asked: BTreeSet<String> = scopes.iter().map(|s| s.id.clone()).collect();
    let kept = RwSignal::new(asked.clone());
    let expiration = RwSignal::new(String::from("asked"));
    let rate_requests = RwSignal::new(limits.rate_requests.clone());
    let rate_per = RwSignal::new(limits.rate_per.clone());
    let quota_calls = RwSignal::new(limits.quota_calls.clone());
    let quota_refill = RwSignal::new(limits.quota_refill.clone());
    let reason = RwSignal::new(String::new());
    let on_approve = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let kept = kept.get_untracked();
        let narrowing = Narrowing {
            scopes: (kept != asked).then_some(kept),
            expiration: match expiration.get_untracked().as_str() {
                "asked" => None,
                days => days.parse().ok().map(Expiration::Days),
            },
            limits: Some(LimitsForm {
                rate_requests: rate_requests.get_untracked(),
                rate_per: rate_per.get_untracked(),
                quota_calls: quota_calls.get_untracked(),
                quota_refill: quota_refill.get_untracked(),
            }),
        };
        approve.dispatch(ApproveRequest { id, narrowing });
    };
    let on_deny = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        deny.dispatch(DenyRequest {
            id: id.to_string(),
            reason: reason.get_untracked(),
        });
    };
    let boxes = scopes
        .into_iter()
        .map(|scope| {
            let control = format!("keep-{}", scope.id.replace(':', "-"));
            let value = scope.id.clone();
            let checked = {
                let value = value.clone();
                move || kept.with(|k| k.contains(&value))
            };
            let mark = if scope.deletes {
                Some(view! { <span class="badge delete">"delete"</span> })
            } else if scope.writes {
                Some(view! { <span class="badge write">"write"</span> })
            } else {
                None
            };
            view! {
                <div class="checkbox-field">
                    <input
                        type="checkbox"
                        id=control.clone()
                        prop:checked=checked
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let value = value.clone();
                            kept.update(|k| {
                                if on {
                                    k.insert(value);
                                } else {
                                    k.remove(&value);
                                }
                            });
                        }
                    />
                    <label for=control>{scope.label} " " {mark}</label>
                </div>
            }
        })
        .collect_view();
    let per_options = Per::ALL
        .into_iter()
        .map(|per| view! { <option value=per.id() selected=per.id() == limits.rate_per>{per.id()}</option> })
        .collect_view();
    let refill_options = Refill::ALL
        .into_iter()
        .map(|refill| {
            view! { <option value=refill.id() selected=refill.id() == limits.quota_refill>{refill.label()}</option> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="approve-heading">
            <h2 id="approve-heading">"Approve"</h2>
            <form class="policy-form" novalidate on:submit=on_approve>
                <fieldset>
                    <legend>"Scopes to grant"</legend>
                    <p class="hint">"Untick what the token shouldn't have. Nothing can be added."</p>
                    {boxes}
                </fieldset>
                <div class="field">
                    <label for="approve-expiration">"Expiration"</label>
                    <select id="approve-expiration" on:change=move |ev| expiration.set(event_target_value(&ev))>
                        <option value="asked" selected>"As requested"</option>
                        <option value="30">"30 days"</option>
                        <option value="60">"60 days"</option>
                        <option value="90">"90 days"</option>
                    </select>
                </div>
                <fieldset>
                    <legend>"Limits (no looser than requested)"</legend>
                    <div class="limit-row">
                        <label for="approve-rate">"Rate limit"</label>
                        <input id="approve-rate" inputmode="numeric" autocomplete="off"
                            prop:value=move || rate_requests.get()
                            on:input=move |ev| rate_requests.set(event_target_value(&ev)) />
                        <label for="approve-rate-per">"requests per"</label>
                        <select id="approve-rate-per" on:change=move |ev| rate_per.set(event_target_value(&ev))>{per_options}</select>
                    </div>
                    <div class="limit-row">
                        <label for="approve-quota">"Quota"</label>
                        <input id="approve-quota" inputmode="numeric" autocomplete="off"
                            prop:value=move || quota_calls.get()
                            on:input=move |ev| quota_calls.set(event_target_value(&ev)) />
                        <label for="approve-refill">"Refill"</label>
                        <select id="approve-refill" on:change=move |ev| quota_refill.set(event_target_value(&ev))>{refill_options}</select>
                    </div>
                </fieldset>
                <button type="submit" class="primary" disabled=busy>"Approve"</button>
            </form>
        </section>
        <section class="card" aria-labelledby="deny-heading">
            <h2 id="deny-heading">"Deny"</h2>
            <form class="policy-form" novalidate on:submit=on_deny>
                <div class="field">
                    <label for="deny-reason">"Reason"</label>
                    <textarea id="deny-reason" rows="3" maxlength=REASON_MAX.to_string() required
                        prop:value=move || reason.get()
                        on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                </div>
                <button type="submit" class="secondary danger" disabled=busy>"Deny"</button>
            </form>
        </section>
    }
}

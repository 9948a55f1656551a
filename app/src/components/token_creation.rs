//! **Token creation** on the API page: whether Implementation Specialists create tokens
//! directly or request them for an Account Administrator's approval; with a link to the
//! **Requests** page and its count of pending ones. A plain form for the Account
//! Administrator; others see the choice in force.

use super::radio_choice::RadioChoice;
use crate::api::requests::SetTokenCreation;
use crate::domain::token_request::TokenCreation;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

fn hint(choice: TokenCreation) -> &'static str {
    match choice {
        TokenCreation::Directly => "Account Administrators and Implementation Specialists create tokens themselves.",
        TokenCreation::NeedsApproval => "Implementation Specialists request tokens with a reason; an Account Administrator approves (scopes, expiration and limits can only be narrowed) or denies. Nothing is minted before the approval, and only the requester sees the secret.",
    }
}

/// The **Token creation** card.
#[component]
pub fn TokenCreationSection(creation: TokenCreation, can_set: bool, pending: i64) -> impl IntoView {
    let body = if can_set {
        let choices = TokenCreation::ALL
            .into_iter()
            .map(|choice| {
                view! {
                    <RadioChoice
                        id=format!("creation-{}", choice.id())
                        name="creation"
                        value=choice.id()
                        label=choice.label()
                        hint=hint(choice)
                        checked=choice == creation
                    />
                }
            })
            .collect_view();
        view! {
            <form class="policy-form" method="post" action=SetTokenCreation::url()>
                <fieldset>
                    <legend>"Token creation"</legend>
                    {choices}
                </fieldset>
                <button type="submit" class="secondary">"Save"</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <p>"Token creation: " <strong>{creation.label()}</strong> ". " {hint(creation)}</p>
        }
        .into_any()
    };
    let waiting = match pending {
        0 => "none pending".to_string(),
        1 => "1 pending".to_string(),
        n => format!("{n} pending"),
    };
    view! {
        <section class="card" aria-labelledby="creation-heading">
            <h2 id="creation-heading">"Requests and approvals"</h2>
            {body}
            <p>
                <a href="/settings/api/requests">"Requests"</a>
                " "
                <span class="count-badge" aria-label=format!("{waiting}")>{pending}</span>
            </p>
        </section>
    }
}

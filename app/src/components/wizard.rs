//! The Create Access Token wizard: its state, step indicator and navigation. The rules
//! live in `domain::wizard`; these components only render them.

mod contacts_step;
mod created_view;
mod draft_storage;
mod limits_fields;
mod rate_quota_fields;
mod request_view;
mod review_step;
mod scopes_step;
mod setup_step;
mod state;

use crate::api::requests::RequestToken;
use crate::api::tokens::{Contact, CreateToken};
use crate::components::ActionError;
use crate::domain::expiration::TokenPolicy;
use crate::domain::limits::Limits;
use crate::domain::wizard::{Draft, DraftKey, Field, FieldError, Problem, Step};
pub use contacts_step::ContactsStep;
pub use created_view::CreatedView;
pub use draft_storage::{signed_in_key as draft_key, store as store_draft, DraftKeys};
use leptos::prelude::*;
pub use limits_fields::AllowedIpsField;
pub use rate_quota_fields::RateQuotaFields;
use request_view::{ReasonField, RequestedView};
use review_step::ReviewStep;
pub use scopes_step::ScopesStep;
pub use setup_step::{NameAndDescription, SetupStep};
pub use state::{focus, WizardState};

/// The whole wizard for the caller's account: an island of its own chunk; `draft_key`
/// says where the browser keeps the user's unfinished draft.
#[island(lazy)]
pub fn Wizard(
    contacts: Vec<Contact>,
    draft_key: Option<DraftKey>,
    policy: TokenPolicy,
    /// The account's **Default limits**: what a new draft starts with.
    default_limits: Limits,
    /// The account's tokens need an administrator's approval: the wizard ends in
    /// **Request token** with a **Reason**.
    needs_approval: bool,
) -> impl IntoView {
    crate::browser::island_ready();
    let wizard = WizardState::from_draft(Draft {
        limits: default_limits.form(),
        ..Draft::default()
    });
    let keys = DraftKeys::provide(draft_key);
    let notice = draft_storage::keep_in_browser(wizard.draft, keys);
    let create = ServerAction::<CreateToken>::new();
    let request = ServerAction::<RequestToken>::new();
    let reason = RwSignal::new(String::new());
    let contacts = StoredValue::new(contacts);

    // A refused Create or Request shows each error beside its field, on the first step
    // that has one.
    Effect::new(move |_| {
        if let Some(Err(error)) = create.value().get() {
            wizard.show_server_errors(error.field_errors().to_vec());
        }
    });
    Effect::new(move |_| {
        if let Some(Err(error)) = request.value().get() {
            wizard.show_server_errors(error.field_errors().to_vec());
        }
    });
    let created = move || create.value().get().and_then(Result::ok);
    let requested = move || request.value().get().and_then(Result::ok);
    let done = move || created().is_some() || requested().is_some();
    Effect::new(move |_| {
        if done() {
            draft_storage::discard(keys.get().as_ref());
        }
    });
    let pending = move || create.pending().get() || request.pending().get();

    let next = move || {
        let mut draft = wizard.draft.get_untracked();
        match draft.next() {
            Ok(_) => wizard.draft.set(draft),
            Err(errors) => wizard.reveal(errors),
        }
    };
    let back = move |_| {
        wizard.draft.update(|d| {
            d.back();
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if wizard.draft.with_untracked(|d| d.step) == Step::Review {
            match wizard.draft.with_untracked(Draft::validate) {
                Ok(_) if needs_approval => {
                    match crate::domain::token_request::reason(&reason.get_untracked()) {
                        Ok(reason) => {
                            request.dispatch(RequestToken {
                                draft: wizard.draft.get_untracked(),
                                reason,
                            });
                        }
                        Err(problem) => wizard.show_server_errors(vec![FieldError {
                            field: Field::Reason,
                            problem: Problem::Reason(problem),
                        }]),
                    }
                }
                Ok(_) => {
                    create.dispatch(CreateToken {
                        draft: wizard.draft.get_untracked(),
                    });
                }
                Err(errors) => wizard.reveal(errors),
            }
        } else {
            next();
        }
    };
    let discard = move |_| {
        draft_storage::discard(keys.get().as_ref());
        wizard.reset();
    };
    let step = move || wizard.draft.with(|d| d.step);
    let general_error = move || {
        let error = match create.value().get() {
            Some(Err(error)) => Some(error),
            _ => request.value().get().and_then(Result::err),
        };
        error.filter(|e| e.field_errors().is_empty())
    };
    let (submit_label, busy_label) = if needs_approval {
        ("Request token", "Requesting…")
    } else {
        ("Create", "Creating…")
    };

    view! {
        <Show
            when=move || !done()
            fallback=move || {
                view! {
                    {created().map(|token| view! { <CreatedView token /> })}
                    {requested().map(|request| view! { <RequestedView request /> })}
                }
            }
        >
            {move || notice.get().map(|text| view! { <p class="alert info" role="status">{text}</p> })}
            <StepIndicator current=Signal::derive(step) />
            <form class="card wizard" novalidate on:submit=submit>
                {move || match step() {
                    Step::Setup => view! { <SetupStep wizard policy /> }.into_any(),
                    Step::Contacts => view! { <ContactsStep wizard contacts=contacts.get_value() /> }.into_any(),
                    Step::Scopes => view! { <ScopesStep wizard /> }.into_any(),
                    Step::Review => view! {
                        <ReviewStep wizard contacts=contacts.get_value() needs_approval />
                        {needs_approval.then(|| view! { <ReasonField wizard reason /> })}
                    }
                    .into_any(),
                }}
                {move || general_error().map(|error| view! { <ActionError error /> })}
                <div class="wizard-actions">
                    <button type="button" class="link danger" on:click=discard>"Discard draft"</button>
                    <span class="spacer"></span>
                    <Show when=move || step() != Step::Setup>
                        <button type="button" class="secondary" on:click=back>"Back"</button>
                    </Show>
                    <Show
                        when=move || step() == Step::Review
                        fallback=|| view! { <button type="submit" class="primary">"Next"</button> }
                    >
                        <button type="submit" class="primary" disabled=pending>
                            {move || if pending() { busy_label } else { submit_label }}
                        </button>
                    </Show>
                </div>
            </form>
        </Show>
    }
}

#[component]
fn StepIndicator(current: Signal<Step>) -> impl IntoView {
    view! {
        <ol class="steps" aria-label="Progress">
            {Step::ALL
                .into_iter()
                .map(|step| {
                    let state = move || match current.get() {
                        now if now == step => "current",
                        now if now > step => "done",
                        _ => "todo",
                    };
                    view! {
                        <li
                            class=state
                            aria-current=move || (current.get() == step).then_some("step")
                        >
                            <span class="step-number" aria-hidden="true">{step.number()}</span>
                            <span class="step-title">{step.title()}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

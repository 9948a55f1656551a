//! Step 2, **Contact Information**: Primary Contact and developer emails.

use super::WizardState;
use crate::api::tokens::Contact;
use crate::components::FieldMessage;
use crate::domain::wizard::Field;
use crate::domain::{check_developer_email, MAX_DEVELOPER_EMAILS};
use leptos::prelude::*;

/// Who hears about changes to the token.
#[component]
pub fn ContactsStep(wizard: WizardState, contacts: Vec<Contact>) -> impl IntoView {
    let draft = wizard.draft;
    let typed = RwSignal::new(String::new());
    let add_error = RwSignal::new(None::<String>);
    let add = move || {
        let candidate = typed.get_untracked();
        let checked =
            draft.with_untracked(|d| check_developer_email(&d.developer_emails, &candidate));
        match checked {
            Ok(email) => {
                wizard.edit(Field::DeveloperEmails, |d| {
                    d.developer_emails.push(email.into())
                });
                typed.set(String::new());
                add_error.set(None);
            }
            Err(error) => add_error.set(Some(error.to_string())),
        }
    };
    let list_message = wizard.message_signal(Field::DeveloperEmails);
    let email_message = Signal::derive(move || add_error.get().or_else(|| list_message.get()));
    view! {
        <h2>"Contact Information"</h2>
        <div class="field">
            <label for="token-primary-contact">"Primary Contact"</label>
            <select
                id="token-primary-contact"
                aria-describedby="token-primary-contact-hint token-primary-contact-error"
                aria-invalid=move || wizard.message(Field::PrimaryContact).is_some().to_string()
                on:change=move |ev| {
                    let value = event_target_value(&ev).parse::<i64>().ok();
                    wizard.edit(Field::PrimaryContact, |d| d.primary_contact = value);
                    wizard.left(Field::PrimaryContact);
                }
            >
                <option value="" selected=move || draft.with(|d| d.primary_contact.is_none())>
                    "Choose a contact"
                </option>
                {contacts
                    .into_iter()
                    .map(|contact| {
                        let id = contact.id;
                        view! {
                            <option
                                value=id.to_string()
                                selected=move || draft.with(|d| d.primary_contact == Some(id))
                            >
                                {contact.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="hint" id="token-primary-contact-hint">
                "We'll be in touch with the primary contact about changes to this token."
            </p>
            <FieldMessage id="token-primary-contact-error" message=wizard.message_signal(Field::PrimaryContact) />
        </div>
        <div class="field">
            <label for="token-developer-email">"Developer email"</label>
            <div class="inline">
                <input
                    id="token-developer-email"
                    type="email"
                    autocomplete="off"
                    aria-describedby="token-developer-email-hint token-developer-email-error"
                    aria-invalid=move || email_message.get().is_some().to_string()
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        typed.set(event_target_value(&ev));
                        add_error.set(None);
                    }
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            add();
                        }
                    }
                />
                <button type="button" class="secondary" on:click=move |_| add()>"Add"</button>
            </div>
            <p class="hint" id="token-developer-email-hint">
                "Optional: people who should hear about this token but aren't users of the account. Up to "
                {MAX_DEVELOPER_EMAILS}
                "."
            </p>
            <FieldMessage id="token-developer-email-error" message=email_message />
            <ul class="email-list" aria-label="Developer emails">
                <For
                    each=move || draft.with(|d| d.developer_emails.clone())
                    key=|email| email.clone()
                    let:email
                >
                    <li>
                        <span>{email.clone()}</span>
                        <button
                            type="button"
                            class="link"
                            aria-label=format!("Remove {email}")
                            on:click={
                                let email = email.clone();
                                move |_| {
                                    let email = email.clone();
                                    wizard.edit(
                                        Field::DeveloperEmails,
                                        move |d| d.developer_emails.retain(|e| *e != email),
                                    );
                                }
                            }
                        >
                            "Remove"
                        </button>
                    </li>
                </For>
            </ul>
        </div>
    }
}

//! **Add user**: email, name and role, checked as typed by the same rules as the server.

use crate::api::users::{AddUser, TemporaryPassword};
use crate::components::{focus, ActionError, FieldMessage};
use crate::domain::user_admin::{NewUser, UserField, UserFieldError};
use crate::domain::Role;
use crate::error::AppError;
use leptos::prelude::*;

/// The form; `added` gets the new user's temporary password.
#[component]
pub fn AddUserForm(added: Callback<TemporaryPassword>) -> impl IntoView {
    let form = RwSignal::new(NewUser::default());
    let errors = RwSignal::new(Vec::<UserFieldError>::new());
    let failure = RwSignal::new(None::<AppError>);
    let action = ServerAction::<AddUser>::new();
    let show = move |found: Vec<UserFieldError>| {
        if let Some(first) = found.first() {
            focus(first.field.control_id());
        }
        errors.set(found);
    };
    Effect::new(move |_| match action.value().get() {
        Some(Ok(password)) => {
            form.set(NewUser::default());
            errors.set(Vec::new());
            added.run(password);
        }
        Some(Err(AppError::UserFields(found))) => show(found),
        Some(Err(AppError::Unauthorized)) => crate::browser::go_to("/login"),
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        failure.set(None);
        let user = form.get_untracked();
        match user.validate() {
            Ok(_) => {
                errors.set(Vec::new());
                action.dispatch(AddUser { user });
            }
            Err(found) => show(found),
        }
    };
    let message = move |field: UserField| {
        Signal::derive(move || {
            errors.with(|all| all.iter().find(|e| e.field == field).map(|e| e.to_string()))
        })
    };
    let error_id = |field: UserField| match field {
        UserField::Email => "new-user-email-error",
        UserField::Name => "new-user-name-error",
        UserField::Role => "new-user-role-error",
    };
    let text = move |field: UserField, label: &'static str, kind: &'static str| {
        view! {
            <div class="field">
                <label for=field.control_id()>{label}</label>
                <input
                    id=field.control_id()
                    type=kind
                    autocomplete="off"
                    aria-describedby=error_id(field)
                    aria-invalid=move || message(field).get().is_some().to_string()
                    prop:value=move || form.with(|f| match field {
                        UserField::Email => f.email.clone(),
                        _ => f.name.clone(),
                    })
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| match field {
                            UserField::Email => f.email = value,
                            _ => f.name = value,
                        });
                    }
                />
                <FieldMessage id=error_id(field) message=message(field) />
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="add-user-heading">
            <h2 id="add-user-heading">"Add user"</h2>
            <form class="editor add-user" novalidate on:submit=submit>
                {text(UserField::Email, "Email", "email")}
                {text(UserField::Name, "Name", "text")}
                <div class="field">
                    <label for=UserField::Role.control_id()>"Role"</label>
                    <select
                        id=UserField::Role.control_id()
                        aria-describedby=error_id(UserField::Role)
                        aria-invalid=move || message(UserField::Role).get().is_some().to_string()
                        on:change=move |ev| {
                            let value = event_target_value(&ev);
                            form.update(|f| f.role = value);
                        }
                    >
                        <option value="" selected=move || form.with(|f| f.role.is_empty())>"Choose a role"</option>
                        {Role::ALL
                            .into_iter()
                            .map(|role| view! {
                                <option value=role.id() selected=move || form.with(|f| f.role == role.id())>
                                    {role.label()}
                                </option>
                            })
                            .collect_view()}
                    </select>
                    <FieldMessage id=error_id(UserField::Role) message=message(UserField::Role) />
                </div>
                <p class="hint">"They get a temporary password, shown here once, and choose their own when they first sign in."</p>
                {move || failure.get().map(|error| view! { <ActionError error /> })}
                <div class="editor-actions">
                    <button type="submit" class="primary" disabled=move || action.pending().get()>"Add user"</button>
                </div>
            </form>
        </section>
    }
}

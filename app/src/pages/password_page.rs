//! `/settings/password`: **Change password**, for every signed-in user, from the user menu.

use crate::api::session::ChangePassword;
use crate::components::signed_in_layout::Session;
use crate::components::{focus, FieldMessage};
use crate::domain::{NewPassword, PasswordChange, PasswordField, PasswordFieldError};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::LazyRoute;

/// The form: current password, new password twice.
/// The page's body: an island (its code in the main module, as `crate::hydration` says).
/// `temporary`: the user signed in with a temporary password and must choose their own
/// before anything else.
#[island]
fn PasswordPageView(temporary: bool) -> impl IntoView {
    crate::browser::island_ready();
    let action = ServerAction::<ChangePassword>::new();
    let form = RwSignal::new(PasswordChange::default());
    let errors = RwSignal::new(Vec::<PasswordFieldError>::new());
    // The button works once the page has hydrated; before that (or without JavaScript) the
    // form can't be sent, so a password never ends up in a URL.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let show = move |found: Vec<PasswordFieldError>| {
        if let Some(first) = found.first() {
            focus(first.field.control_id());
        }
        errors.set(found);
    };
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            form.set(PasswordChange::default());
            errors.set(Vec::new());
        }
        Some(Err(AppError::PasswordFields(found))) => show(found),
        _ => {}
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let change = form.get_untracked();
        match change.validate() {
            Ok(_) => {
                errors.set(Vec::new());
                action.dispatch(ChangePassword { change });
            }
            Err(found) => show(found),
        }
    };
    let message = move |field: PasswordField| {
        Signal::derive(move || {
            errors.with(|all| all.iter().find(|e| e.field == field).map(|e| e.to_string()))
        })
    };
    let input = move |field: PasswordField, label: &'static str, autocomplete: &'static str| {
        let id = field.control_id();
        let error_id = match field {
            PasswordField::Current => "current-password-error",
            PasswordField::New => "new-password-error",
            PasswordField::Confirm => "confirm-password-error",
        };
        let described = match field {
            PasswordField::New => "new-password-hint new-password-error",
            _ => error_id,
        };
        let hint = (field == PasswordField::New).then(|| {
            view! {
                <p class="hint" id="new-password-hint">
                    {format!("At least {} characters. A long phrase is easy to remember and hard to guess.", NewPassword::MIN)}
                </p>
            }
        });
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="password"
                    autocomplete=autocomplete
                    aria-describedby=described
                    aria-invalid=move || message(field).get().is_some().to_string()
                    prop:value=move || form.with(|f| match field {
                        PasswordField::Current => f.current.clone(),
                        PasswordField::New => f.new.clone(),
                        PasswordField::Confirm => f.confirm.clone(),
                    })
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.update(|f| match field {
                            PasswordField::Current => f.current = value,
                            PasswordField::New => f.new = value,
                            PasswordField::Confirm => f.confirm = value,
                        });
                    }
                />
                {hint}
                <FieldMessage id=error_id message=message(field) />
            </div>
        }
    };
    view! {
        <header class="page-header">
            <div>
                <h1>"Change password"</h1>
                {if temporary {
                    view! {
                        <p class="alert warning" role="alert">
                            "You signed in with a temporary password. Choose your own password to continue: type the temporary one as your current password."
                        </p>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="lede">
                            "The password you sign in with. When you change it, your sessions on other devices and browsers are signed out; this one stays signed in."
                        </p>
                    }
                    .into_any()
                }}
            </div>
        </header>
        <section class="card password-form" aria-label="Change password">
            <form class="editor" method="post" novalidate on:submit=submit>
                {input(PasswordField::Current, "Current password", "current-password")}
                {input(PasswordField::New, "New password", "new-password")}
                {input(PasswordField::Confirm, "Confirm new password", "new-password")}
                // Until the page has hydrated (for good, without JavaScript).
                {move || {
                    (!ready.get())
                        .then(|| view! { <p class="hint">"Changing your password needs JavaScript."</p> })
                }}
                <div class="editor-actions">
                    <button
                        type="submit"
                        class="primary"
                        disabled=move || !ready.get() || action.pending().get()
                    >
                        "Change password"
                    </button>
                </div>
            </form>
            <Outcome action temporary />
        </section>
    }
}

/// What the last attempt did.
#[component]
fn Outcome(action: ServerAction<ChangePassword>, temporary: bool) -> impl IntoView {
    move || match action.value().get() {
        Some(Ok(done)) => {
            let others = match done.other_sessions_ended {
                0 => "You had no other sessions.".to_string(),
                1 => "Your 1 other session was signed out.".to_string(),
                n => format!("Your {n} other sessions were signed out."),
            };
            view! {
                <p class="alert success" role="status">{format!("Password changed. {others}")}</p>
                {temporary.then(|| view! { <p><a class="button primary" href="/">"Continue"</a></p> })}
            }
            .into_any()
        }
        Some(Err(AppError::PasswordFields(_))) | None => ().into_any(),
        Some(Err(error)) => {
            view! { <p class="alert error" role="alert">{error.to_string()}</p> }.into_any()
        }
    }
}

/// The Change password page.
pub struct PasswordPage;

impl LazyRoute for PasswordPage {
    fn data() -> Self {
        Self
    }

    // Nothing is awaited here: leptos_router polls this future in a `SendWrapper`, which
    // panics if it resumes on another thread. The session is awaited in a `Suspense`.
    async fn view(_this: Self) -> AnyView {
        let session = use_context::<Session>();
        view! {
            <Title text="Change password" />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let temporary = match session {
                        Some(session) => session.await.is_ok_and(|info| info.must_change_password),
                        None => false,
                    };
                    view! { <PasswordPageView temporary /> }
                })}
            </Suspense>
        }
        .into_any()
    }
}

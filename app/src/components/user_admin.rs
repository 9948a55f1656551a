//! `/settings/users`' controls: **Add user**, each user's role, **Disable**/**Enable** and
//! **Reset password**, and the temporary password a change issues, shown once.

mod add_form;
mod rows;

use crate::api::users::{
    list_users, ChangeUser, ManagedUser, SetTwoFactorRule, TemporaryPassword, UsersOverview,
};
use crate::components::{ActionError, CopyButton};
use crate::domain::second_factor::TwoFactorRule;
use crate::domain::user_admin::UserChange;
use crate::error::AppError;
use add_form::AddUserForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use rows::UserRows;

/// What the last change was, to say what it did.
#[derive(Clone, PartialEq)]
struct Pending {
    name: String,
    change: UserChange,
}

/// The page's body: a lazy island, its code a chunk of its own.
#[island(lazy)]
pub fn UsersEditor(overview: UsersOverview) -> impl IntoView {
    crate::browser::island_ready();
    let users = RwSignal::new(overview.users);
    let me = overview.me;
    let two_factor_rule = overview.two_factor_rule;
    let issued = RwSignal::new(None::<TemporaryPassword>);
    let outcome = RwSignal::new(None::<Result<String, AppError>>);
    let pending = RwSignal::new(None::<Pending>);
    let change = ServerAction::<ChangeUser>::new();
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = list_users().await {
                users.set(fresh.users);
            }
        })
    };
    Effect::new(move |_| {
        let Some(result) = change.value().get() else {
            return;
        };
        let Some(Pending { name, change }) = pending.get_untracked() else {
            return;
        };
        match result {
            Ok(password) => {
                outcome.set(Some(Ok(done_message(&name, change))));
                if password.is_some() {
                    issued.set(password);
                }
                refresh();
            }
            Err(AppError::Unauthorized) => crate::browser::go_to("/login"),
            Err(error) => outcome.set(Some(Err(error))),
        }
    });
    let send = Callback::new(move |(user, what): (ManagedUser, UserChange)| {
        outcome.set(None);
        issued.set(None);
        pending.set(Some(Pending {
            name: user.name.clone(),
            change: what,
        }));
        change.dispatch(ChangeUser {
            user_id: user.id,
            change: what,
        });
    });
    let added = Callback::new(move |password: TemporaryPassword| {
        outcome.set(Some(Ok(format!("Added {}.", password.user))));
        issued.set(Some(password));
        refresh();
    });
    view! {
        <header class="page-header">
            <div>
                <h1>"Users"</h1>
                <p class="lede">
                    "The people who sign in to this account, and what their role lets them do. Every change here is recorded in the account's activity."
                </p>
            </div>
        </header>
        <IssuedPassword issued />
        <AddUserForm added />
        <section class="card" aria-labelledby="users-heading">
            <h2 id="users-heading">"People"</h2>
            {move || outcome.get().map(|result| match result {
                Ok(text) => view! { <p class="alert success" role="status">{text}</p> }.into_any(),
                Err(error) => view! { <ActionError error /> }.into_any(),
            })}
            <UserRows users me send busy=change.pending() />
        </section>
        <TwoFactorRuleSection rule=two_factor_rule />
    }
}

/// **Require two-factor authentication**: a plain form (it posts without JavaScript and
/// the page comes back).
#[component]
fn TwoFactorRuleSection(rule: TwoFactorRule) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="two-factor-heading">
            <h2 id="two-factor-heading">"Two-factor authentication"</h2>
            <p>
                "Who must sign in with a second factor. People it covers who have none are led to set one up at their next page, and can do nothing else first."
            </p>
            <form class="policy-form" method="post" action=SetTwoFactorRule::url()>
                <div class="field">
                    <label for="two-factor-rule">"Require two-factor authentication"</label>
                    <select id="two-factor-rule" name="rule">
                        {TwoFactorRule::ALL
                            .into_iter()
                            .map(|choice| view! {
                                <option value=choice.id() selected=choice == rule>{choice.label()}</option>
                            })
                            .collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary">"Save"</button>
            </form>
        </section>
    }
}

fn done_message(name: &str, change: UserChange) -> String {
    match change {
        UserChange::SetRole(role) => format!("{name} is now {}.", role.label()),
        UserChange::Disable => format!("Disabled {name}: their sessions have ended."),
        UserChange::Enable => format!("Enabled {name}: they can sign in again."),
        UserChange::ResetPassword => {
            format!("Reset {name}'s password: their sessions have ended.")
        }
    }
}

/// A temporary password, until the administrator is done with it.
#[component]
fn IssuedPassword(issued: RwSignal<Option<TemporaryPassword>>) -> impl IntoView {
    move || {
        issued.get().map(|password| {
            view! {
                <section class="card created" aria-labelledby="temporary-heading">
                    <h2 id="temporary-heading">"Temporary password"</h2>
                    <p class="alert warning" role="alert">
                        {format!("Give this temporary password to {} over a secure channel. It is shown only once; they must choose their own password when they first sign in.", password.user)}
                    </p>
                    <div class="field-row">
                        <span class="field-label" id="temporary-label">"Temporary password"</span>
                        <code class="sid secret" aria-labelledby="temporary-label">{password.password.clone()}</code>
                        <CopyButton value=password.password label="Temporary password" />
                    </div>
                    <div class="editor-actions">
                        <button type="button" class="primary" on:click=move |_| issued.set(None)>"Done"</button>
                    </div>
                </section>
            }
        })
    }
}

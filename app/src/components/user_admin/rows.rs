//! The table of users: each one's role, state and last sign-in, and the changes an
//! administrator can make, the dangerous ones confirmed first.

use crate::api::users::ManagedUser;
use crate::components::focus;
use crate::domain::user_admin::UserChange;
use crate::domain::Role;
use leptos::prelude::*;

/// Every user; `me` is the administrator looking (no **Disable** or **Reset password** on
/// their own row).
#[component]
pub fn UserRows(
    users: RwSignal<Vec<ManagedUser>>,
    me: i64,
    send: Callback<(ManagedUser, UserChange)>,
    #[prop(into)] busy: Signal<bool>,
) -> impl IntoView {
    let confirming = RwSignal::new(None::<(ManagedUser, UserChange)>);
    view! {
        <div class="table-scroll" role="region" aria-label="Users table" tabindex="0"><table class="users">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Last sign-in"</th>
                    <th scope="col">"Actions"</th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || users.get()
                    key=|user| (user.id, user.role, user.disabled, user.temporary_password, user.last_sign_in.clone())
                    children=move |user| view! { <UserRow user me send confirming busy /> }
                />
            </tbody>
        </table></div>
        {move || confirming.get().map(|(user, change)| {
            let (title, text, button) = match change {
                UserChange::Disable => (
                    format!("Disable {}?", user.name),
                    "Their sessions end at once and they can't sign in until enabled again. Tokens they created keep working.",
                    "Disable user",
                ),
                _ => (
                    format!("Reset {}'s password?", user.name),
                    "Their sessions end at once. You get a temporary password to give them; they choose their own when they next sign in.",
                    "Reset password",
                ),
            };
            let confirmed = (user.clone(), change);
            view! {
                <div class="confirm card" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-text">
                    <h2 id="confirm-title">{title}</h2>
                    <p id="confirm-text">{text}</p>
                    <div class="editor-actions">
                        <button type="button" id="confirm-cancel" class="secondary" on:click=move |_| confirming.set(None)>"Cancel"</button>
                        <button
                            type="button"
                            class="danger"
                            on:click=move |_| {
                                confirming.set(None);
                                send.run(confirmed.clone());
                            }
                        >
                            {button}
                        </button>
                    </div>
                </div>
            }
        })}
    }
}

#[component]
fn UserRow(
    user: ManagedUser,
    me: i64,
    send: Callback<(ManagedUser, UserChange)>,
    confirming: RwSignal<Option<(ManagedUser, UserChange)>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let chosen = RwSignal::new(user.role);
    let mine = user.id == me;
    let name = if mine {
        format!("{} (you)", user.name)
    } else {
        user.name.clone()
    };
    let state = match (user.disabled, user.temporary_password) {
        (true, _) => "Disabled",
        (false, true) => "Active (temporary password)",
        (false, false) => "Active",
    };
    let select_id = format!("role-of-{}", user.id);
    let role_user = user.clone();
    let toggle_user = user.clone();
    let reset_user = user.clone();
    let disabled = user.disabled;
    view! {
        <tr class:disabled=disabled>
            <th scope="row">{name}</th>
            <td>{user.email.clone()}</td>
            <td>
                <div class="role-change">
                    <select
                        id=select_id
                        aria-label=format!("Role of {}", user.name)
                        on:change=move |ev| {
                            if let Ok(role) = event_target_value(&ev).parse::<Role>() {
                                chosen.set(role);
                            }
                        }
                    >
                        {Role::ALL
                            .into_iter()
                            .map(|role| view! {
                                <option value=role.id() selected=role == user.role>{role.label()}</option>
                            })
                            .collect_view()}
                    </select>
                    <button
                        type="button"
                        class="secondary"
                        aria-label=format!("Change role of {}", user.name)
                        disabled=move || busy.get() || chosen.get() == role_user.role
                        on:click=move |_| send.run((role_user.clone(), UserChange::SetRole(chosen.get_untracked())))
                    >
                        "Change role"
                    </button>
                </div>
            </td>
            <td>{state}</td>
            <td>{user.last_sign_in.clone().unwrap_or_else(|| "Never".to_string())}</td>
            <td class="row-actions">
                {(!mine).then(|| {
                    let label = if disabled { "Enable" } else { "Disable" };
                    view! {
                        <button
                            type="button"
                            class="secondary"
                            aria-label=format!("{label} {}", toggle_user.name)
                            disabled=move || busy.get()
                            on:click=move |_| {
                                if disabled {
                                    send.run((toggle_user.clone(), UserChange::Enable));
                                } else {
                                    confirming.set(Some((toggle_user.clone(), UserChange::Disable)));
                                    focus("confirm-cancel");
                                }
                            }
                        >
                            {label}
                        </button>
                        {(!disabled).then(|| view! {
                            <button
                                type="button"
                                class="secondary"
                                aria-label=format!("Reset password of {}", reset_user.name)
                                disabled=move || busy.get()
                                on:click=move |_| {
                                    confirming.set(Some((reset_user.clone(), UserChange::ResetPassword)));
                                    focus("confirm-cancel");
                                }
                            >
                                "Reset password"
                            </button>
                        })}
                    }
                })}
            </td>
        </tr>
    }
}

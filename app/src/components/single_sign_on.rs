//! The Users page's **Single sign-on** card: a plain form (it posts without JavaScript and
//! the page comes back), rendered on the server outside the page's island.

use crate::api::users::{ManagedUser, RemoveSingleSignOn, SetSingleSignOn};
use crate::components::passkeys_origin;
use crate::domain::single_sign_on::SsoOverview;
use crate::domain::Role;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The card, for the account `account_sid` whose users are `users`.
#[component]
pub fn SingleSignOnSection(
    sso: Option<SsoOverview>,
    users: Vec<ManagedUser>,
    account_sid: String,
) -> impl IntoView {
    let Some(origin) = passkeys_origin() else {
        return view! {
            <section class="card" aria-labelledby="sso-heading">
                <h2 id="sso-heading">"Single sign-on"</h2>
                <p>"Single sign-on is off on this server: its operator sets TOKENSMITH_PUBLIC_URL to the address the console is opened at."</p>
            </section>
        }
        .into_any();
    };
    let set_up = sso.is_some();
    let current = sso.unwrap_or(SsoOverview {
        issuer: String::new(),
        client_id: String::new(),
        create_users: false,
        default_role: Role::Analyst,
        required: false,
        break_glass_user_id: None,
    });
    let admins: Vec<ManagedUser> = users
        .into_iter()
        .filter(|u| u.role == Role::AccountAdmin && !u.disabled)
        .collect();
    let glass = current.break_glass_user_id;
    let link = format!("{origin}/login/sso?account={account_sid}");
    view! {
        <section class="card" aria-labelledby="sso-heading">
            <h2 id="sso-heading">"Single sign-on"</h2>
            <p>
                "People sign in through your organization's OpenID Connect identity provider. Register Tokensmith there as a web client (authorization code with PKCE) with this redirect URI:"
            </p>
            <p><code>{format!("{origin}/login/sso/callback")}</code></p>
            {set_up.then(|| view! {
                <p>"Sign-in link to share: " <code>{link.clone()}</code></p>
            })}
            <form class="policy-form sso-form" method="post" action=SetSingleSignOn::url()>
                <div class="field">
                    <label for="sso-issuer">"Issuer URL"</label>
                    <input id="sso-issuer" name="issuer" type="url" required maxlength="255" value=current.issuer.clone() placeholder="https://login.example.com" />
                </div>
                <div class="field">
                    <label for="sso-client-id">"Client ID"</label>
                    <input id="sso-client-id" name="client_id" required maxlength="255" value=current.client_id.clone() autocomplete="off" />
                </div>
                <div class="field">
                    <label for="sso-client-secret">"Client secret"</label>
                    <input
                        id="sso-client-secret"
                        name="client_secret"
                        type="password"
                        maxlength="512"
                        autocomplete="off"
                        required=!set_up
                        aria-describedby="sso-secret-hint"
                    />
                    <p class="hint" id="sso-secret-hint">
                        {if set_up { "Saved, never shown again. Enter a new one only to replace it." } else { "As your identity provider issued it." }}
                    </p>
                </div>
                <div class="checkbox-field">
                    <input id="sso-create-users" name="create_users" type="checkbox" checked=current.create_users />
                    <label for="sso-create-users">"Create users on first sign-in"</label>
                    <p class="hint">"Off: only people already added here can sign in, matched by the email the provider verified."</p>
                </div>
                <div class="field">
                    <label for="sso-default-role">"Role of new users"</label>
                    <select id="sso-default-role" name="default_role">
                        {Role::ALL.into_iter().map(|role| view! {
                            <option value=role.id() selected=role == current.default_role>{role.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="checkbox-field">
                    <input id="sso-required" name="required" type="checkbox" checked=current.required />
                    <label for="sso-required">"Require single sign-on"</label>
                    <p class="hint">"Passwords and passkeys alone stop working for everyone but the break-glass administrator, whose every password sign-in is recorded."</p>
                </div>
                <div class="field">
                    <label for="sso-break-glass">"Break-glass administrator"</label>
                    <select id="sso-break-glass" name="break_glass">
                        <option value="" selected=glass.is_none()>"Nobody"</option>
                        {admins.into_iter().map(|admin| view! {
                            <option value=admin.id.to_string() selected=glass == Some(admin.id)>
                                {format!("{} ({})", admin.name, admin.email)}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="secondary">"Save single sign-on"</button>
            </form>
            {set_up.then(|| view! {
                <form method="post" action=RemoveSingleSignOn::url()>
                    <button type="submit" class="danger">"Turn off single sign-on"</button>
                </form>
            })}
        </section>
    }
    .into_any()
}

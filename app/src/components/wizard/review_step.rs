//! Step 4, **Review and Create**: everything chosen, in plain words.

use super::WizardState;
use crate::api::tokens::Contact;
use crate::domain::catalog::{category, Access, Method};
use crate::domain::ip_allowlist::IpAllowlist;
use crate::domain::ScopeId;
use leptos::prelude::*;

/// The summary before **Create** (or **Request token**).
#[component]
pub fn ReviewStep(
    wizard: WizardState,
    contacts: Vec<Contact>,
    needs_approval: bool,
) -> impl IntoView {
    let draft = wizard.draft.get_untracked();
    let contact = draft
        .primary_contact
        .and_then(|id| contacts.iter().find(|c| c.id == id))
        .map(Contact::label)
        .unwrap_or_else(|| "None chosen".to_string());
    let description = match draft.description.trim() {
        "" => "No description".to_string(),
        text => text.to_string(),
    };
    let allowed_ips = match IpAllowlist::parse(&draft.allowed_ips) {
        Ok(list) if list.is_empty() => "Any address".to_string(),
        Ok(list) => list.entries().join(", "),
        Err(_) => draft.allowed_ips.clone(),
    };
    let (rate, quota) = match draft.limits.limits() {
        Some(limits) => (limits.rate_words(), limits.quota_words()),
        None => (
            draft.limits.rate_requests.clone(),
            draft.limits.quota_calls.clone(),
        ),
    };
    let developers = if draft.developer_emails.is_empty() {
        "None".to_string()
    } else {
        draft.developer_emails.join(", ")
    };
    let scopes: Vec<ScopeId> = draft
        .scopes
        .iter()
        .filter_map(|s| ScopeId::parse(s).ok())
        .collect();
    let mut groups: Vec<(&'static str, Vec<Method>)> = Vec::new();
    for scope in &scopes {
        match groups.last_mut() {
            Some((id, methods)) if *id == scope.category().id => methods.push(scope.method()),
            _ => groups.push((scope.category().id, vec![scope.method()])),
        }
    }
    let writes = scopes
        .iter()
        .filter(|s| s.method().access() != Access::Read)
        .count();
    view! {
        <h2>{if needs_approval { "Review and Request" } else { "Review and Create" }}</h2>
        <p class="hint">
            {if needs_approval {
                "Check the token before you request it. You can go back to change anything; an approver can only narrow it."
            } else {
                "Check the token before you create it. You can go back to change anything."
            }}
        </p>
        <dl class="summary">
            <dt>"Token Name"</dt>
            <dd>{draft.name.trim().to_string()}</dd>
            <dt>"Description"</dt>
            <dd class="pre">{description}</dd>
            <dt>"API Version"</dt>
            <dd>{format!("v{}", draft.api_version)}</dd>
            <dt>"Expiration"</dt>
            <dd>{draft.expiration.describe()}</dd>
            <dt>"Allowed IP addresses"</dt>
            <dd>{allowed_ips}</dd>
            <dt>"Rate limit"</dt>
            <dd>{rate}</dd>
            <dt>"Quota"</dt>
            <dd>{quota}</dd>
            <dt>"Primary Contact"</dt>
            <dd>{contact}</dd>
            <dt>"Developer emails"</dt>
            <dd>{developers}</dd>
            <dt>"Scopes"</dt>
            <dd>
                <p>
                    {format!(
                        "{} scope{} in {} categor{}; {} of them can change or delete data.",
                        scopes.len(),
                        if scopes.len() == 1 { "" } else { "s" },
                        groups.len(),
                        if groups.len() == 1 { "y" } else { "ies" },
                        writes,
                    )}
                </p>
                <ul class="scope-summary">
                    {groups
                        .into_iter()
                        .map(|(id, methods)| {
                            let name = category(id).map(|c| c.name).unwrap_or(id);
                            view! {
                                <li>
                                    <strong>{name}</strong>
                                    ": "
                                    {methods
                                        .into_iter()
                                        .map(|method| {
                                            let (class, word) = match method.access() {
                                                Access::Read => ("badge read", "read"),
                                                Access::Write => ("badge write", "write"),
                                                Access::Delete => ("badge delete", "delete"),
                                            };
                                            view! {
                                                <span class=class>{format!("{} ({word})", method.label())}</span>
                                            }
                                        })
                                        .collect_view()}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </dd>
        </dl>
    }
}

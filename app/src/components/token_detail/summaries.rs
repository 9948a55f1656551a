//! What each section's editor would change, as it is now: the live token, shown above the
//! section's **Edit** button.

use crate::api::tokens::TokenDetail;
use leptos::prelude::*;

/// **API Scopes**: the token's scopes.
#[component]
pub fn ScopesSummary(token: TokenDetail) -> impl IntoView {
    let count = match token.scopes.len() {
        1 => "1 scope".to_string(),
        n => format!("{n} scopes"),
    };
    // **Scopes not used in the last 30 days**: the editor offers to take them out.
    let unused = (!token.usage.unused_scopes.is_empty()).then(|| {
        view! {
            <div class="unused-scopes">
                <p><strong>{token.usage.unused_heading()}</strong>" "{token.usage.unused_scopes.join(", ")}</p>
                <p class="hint">
                    "Counts are written once a minute: the last minute's calls may not show yet. "
                    "Edit scopes offers to remove them."
                </p>
            </div>
        }
    });
    view! {
        <h2>"API Scopes"</h2>
        <p class="hint">{count}</p>
        {unused}
        <ul class="scope-summary">
            {token.scopes.into_iter().map(|scope| view! { <li><code>{scope}</code></li> }).collect_view()}
        </ul>
    }
}

/// **Allowed IP addresses**: the list, or any address.
#[component]
pub fn AllowedIpsSummary(token: TokenDetail) -> impl IntoView {
    view! {
        <h2>"Allowed IP addresses"</h2>
        {if token.allowed_ips.is_empty() {
            view! { <p>"Any address"</p> }.into_any()
        } else {
            view! {
                <ul class="scope-summary">
                    {token.allowed_ips.into_iter().map(|ip| view! { <li><code>{ip}</code></li> }).collect_view()}
                </ul>
            }
            .into_any()
        }}
    }
}

/// **Limits**: rate limit, quota and budget.
#[component]
pub fn LimitsSummary(token: TokenDetail) -> impl IntoView {
    view! {
        <h2>"Limits"</h2>
        <dl class="facts">
            <div><dt>"Rate limit"</dt><dd>{token.limits.rate_words()}</dd></div>
            <div><dt>"Quota"</dt><dd>{token.limits.quota_words()}</dd></div>
            <div>
                <dt>"Budget"</dt>
                <dd>{token.budget.map_or_else(|| "None".to_string(), |(_, name)| name)}</dd>
            </div>
        </dl>
    }
}

/// **Contact Information**: the primary contact and the developers' emails.
#[component]
pub fn ContactsSummary(token: TokenDetail) -> impl IntoView {
    let developers = if token.developer_emails.is_empty() {
        "None".to_string()
    } else {
        token.developer_emails.join(", ")
    };
    view! {
        <h2>"Contact Information"</h2>
        <dl class="facts">
            <div><dt>"Primary Contact"</dt><dd>{token.primary_contact}</dd></div>
            <div><dt>"Developer emails"</dt><dd>{developers}</dd></div>
        </dl>
    }
}

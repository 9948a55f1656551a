//! **Expiration** and **Allowed IP addresses**: the limits a token carries, on the wizard's
//! Setup step.

use super::WizardState;
use crate::components::FieldMessage;
use crate::domain::expiration::{format_date, Expiration, TokenPolicy, DAY, PRESET_DAYS};
use crate::domain::ip_allowlist::MAX_ALLOWED_IPS;
use crate::domain::wizard::Field;
use leptos::prelude::*;

/// The `<select>` value of a choice.
fn choice_value(expiration: &Expiration) -> String {
    match expiration {
        Expiration::Days(days) => days.to_string(),
        Expiration::OnDate { .. } => "date".to_string(),
        Expiration::Never => "never".to_string(),
    }
}

/// The browser's offset from UTC at the midnight that ends `date` (daylight saving
/// included), as `Date.getTimezoneOffset()` gives it.
fn utc_offset_on(date: &str) -> i32 {
    #[cfg(feature = "hydrate")]
    if let Some((y, m, d)) = crate::domain::expiration::parse_date(date) {
        let next = format_date((crate::domain::expiration::days_from_civil(y, m, d) + 1) * DAY);
        let local = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!(
            "{next}T00:00:00"
        )));
        let offset = local.get_timezone_offset();
        if offset.is_finite() {
            return offset as i32;
        }
    }
    let _ = date;
    0
}

/// Tomorrow's date where the user is (by the server's UTC when rendering there): the
/// earliest a date may be.
fn tomorrow() -> String {
    #[cfg(feature = "hydrate")]
    {
        let date = js_sys::Date::new_0();
        date.set_date(date.get_date() + 1);
        format!(
            "{:04}-{:02}-{:02}",
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date()
        )
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format_date(today() + DAY)
    }
}

/// Now, Unix seconds, by the browser's clock (the server's when rendering there).
fn today() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        (js_sys::Date::now() / 1000.0) as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs() as i64)
    }
}

/// **Expiration**: 30, 60 or 90 days, a date, or never where `policy` allows it.
#[component]
pub fn ExpirationField(wizard: WizardState, policy: TokenPolicy) -> impl IntoView {
    let draft = wizard.draft;
    let chosen = move || draft.with(|d| choice_value(&d.expiration));
    let on_date = move || draft.with(|d| matches!(d.expiration, Expiration::OnDate { .. }));
    let date = move || {
        draft.with(|d| match &d.expiration {
            Expiration::OnDate { date, .. } => date.clone(),
            _ => String::new(),
        })
    };
    let now = today();
    let min = tomorrow();
    // A default or duplicated choice the policy doesn't allow starts at the longest it does.
    Effect::new(move |_| {
        let current = draft.with(|d| d.expiration.clone());
        let fitted = policy.fit(&current);
        if fitted != current {
            draft.update(|d| d.expiration = fitted);
        }
    });
    let max = policy
        .latest_expiry(now)
        .map(|latest| format_date(latest - DAY));
    let hint = match policy.max_lifetime_days {
        Some(days) => format!(
            "The token stops working at the end of its last day. This account's tokens live at most {days} days."
        ),
        None => "The token stops working at the end of its last day; its contacts are warned a week and a day before.".to_string(),
    };
    let invalid = move || wizard.message(Field::Expiration).is_some().to_string();
    view! {
        <div class="field">
            <label for="token-expiration">"Expiration"</label>
            <select
                id="token-expiration"
                aria-describedby="token-expiration-hint token-expiration-error"
                aria-invalid=invalid
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    wizard.edit(Field::Expiration, |d| {
                        d.expiration = match value.as_str() {
                            "never" => Expiration::Never,
                            "date" => Expiration::OnDate { date: String::new(), utc_offset_minutes: 0 },
                            days => Expiration::Days(days.parse().unwrap_or(0)),
                        };
                    });
                }
            >
                {PRESET_DAYS
                    .into_iter()
                    .filter(|days| policy.max_lifetime_days.is_none_or(|max| *days <= max))
                    .map(|days| {
                        let value = days.to_string();
                        let selected = {
                            let value = value.clone();
                            move || chosen() == value
                        };
                        view! { <option value=value selected=selected>{format!("{days} days")}</option> }
                    })
                    .collect_view()}
                <option value="date" selected=move || chosen() == "date">"A date…"</option>
                {policy
                    .never_allowed()
                    .then(|| view! { <option value="never" selected=move || chosen() == "never">"Never"</option> })}
            </select>
            <Show when=on_date>
                <label for="token-expiration-date" class="sub-label">"Expiration date"</label>
                <input
                    id="token-expiration-date"
                    type="date"
                    min=min.clone()
                    max=max.clone()
                    aria-describedby="token-expiration-hint token-expiration-error"
                    prop:value=date
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        let offset = utc_offset_on(&value);
                        wizard.edit(Field::Expiration, |d| {
                            d.expiration = Expiration::OnDate { date: value, utc_offset_minutes: offset };
                        });
                    }
                    on:blur=move |_| wizard.left(Field::Expiration)
                />
            </Show>
            <p class="hint" id="token-expiration-hint">{hint}</p>
            <FieldMessage id="token-expiration-error" message=wizard.message_signal(Field::Expiration) />
        </div>
    }
}

/// **Allowed IP addresses**: optional, one address or range per line.
#[component]
pub fn AllowedIpsField(wizard: WizardState) -> impl IntoView {
    let draft = wizard.draft;
    let invalid = move || wizard.message(Field::AllowedIps).is_some().to_string();
    view! {
        <div class="field">
            <label for="token-allowed-ips">"Allowed IP addresses"</label>
            <textarea
                id="token-allowed-ips"
                rows="3"
                spellcheck="false"
                autocomplete="off"
                placeholder="203.0.113.7\n10.0.0.0/8\n2001:db8::/32"
                aria-describedby="token-allowed-ips-hint token-allowed-ips-error"
                aria-invalid=invalid
                prop:value=move || draft.with(|d| d.allowed_ips.clone())
                on:input=move |ev| {
                    let value = event_target_value(&ev);
                    wizard.edit(Field::AllowedIps, |d| d.allowed_ips = value);
                }
                on:blur=move |_| wizard.left(Field::AllowedIps)
            ></textarea>
            <p class="hint" id="token-allowed-ips-hint">
                {format!(
                    "Optional: IPv4 or IPv6 addresses and CIDR ranges, one per line (at most {MAX_ALLOWED_IPS}). \
                     Calls from anywhere else are refused. Leave empty to allow any address."
                )}
            </p>
            <FieldMessage id="token-allowed-ips-error" message=wizard.message_signal(Field::AllowedIps) />
        </div>
    }
}

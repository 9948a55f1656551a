//! **Enable API access**: the switch's form (`data-api-access`) saves in place instead of
//! posting. The switch moves at once, the status says "Saving…" then "Saved."; if the
//! server refuses, the switch moves back and the status says why. Clicks while a save is
//! under way are ignored (the form is `data-saving`, the switch `aria-disabled`; not
//! `aria-busy`, which would keep screen readers from reading the status out).

use super::closest;
use crate::components::api_access_switch::hint;
use crate::error::AppError;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Event, Headers, RequestInit, Response};

pub fn on_submit(event: &Event) {
    let Some(form) = closest(event, "form[data-api-access]") else {
        return;
    };
    // Markup this code doesn't know posts as a plain form.
    let Some(parts) = Parts::of(&form) else {
        return;
    };
    event.prevent_default();
    if form.has_attribute("data-saving") {
        return;
    }
    let on = !parts.is_on();
    parts.show(on);
    parts.say("Saving…");
    let _ = form.set_attribute("data-saving", "");
    let _ = parts.switch.set_attribute("aria-disabled", "true");
    let action = form.get_attribute("action").unwrap_or_default();
    leptos::task::spawn_local(async move {
        let saved = save(&action, on).await;
        let _ = form.remove_attribute("data-saving");
        let _ = parts.switch.remove_attribute("aria-disabled");
        match saved {
            Ok(()) => parts.say("Saved."),
            Err(error) => {
                parts.show(!on);
                parts.say(&format!("Not saved: {error}"));
            }
        }
    });
}

/// The switch's pieces inside its form.
struct Parts {
    switch: Element,
    next_value: Element,
    status: Element,
    hint: Element,
}

impl Parts {
    fn of(form: &Element) -> Option<Self> {
        let find = |selector| form.query_selector(selector).ok().flatten();
        Some(Self {
            switch: find("[role=switch]")?,
            next_value: find("input[name=enabled]")?,
            status: find(".save-status")?,
            hint: find(".hint")?,
        })
    }

    fn is_on(&self) -> bool {
        self.switch.get_attribute("aria-checked").as_deref() == Some("true")
    }

    fn show(&self, on: bool) {
        let _ = self.switch.set_attribute("aria-checked", bool_text(on));
        // What a post without JavaScript would ask for next.
        let _ = self.next_value.set_attribute("value", bool_text(!on));
        self.hint.set_text_content(Some(hint(on)));
    }

    fn say(&self, message: &str) {
        self.status.set_text_content(Some(message));
    }
}

fn bool_text(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// Posts the new state to the server function, as its own client would.
async fn save(action: &str, on: bool) -> Result<(), AppError> {
    let unreachable =
        |_| AppError::BadRequest("The server could not be reached. Please try again.".into());
    let headers = Headers::new().map_err(unreachable)?;
    headers
        .set("Content-Type", "application/x-www-form-urlencoded")
        .map_err(unreachable)?;
    headers
        .set("Accept", "application/json")
        .map_err(unreachable)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&format!("enabled={}", bool_text(on))));
    let response = JsFuture::from(leptos::prelude::window().fetch_with_str_and_init(action, &init))
        .await
        .map_err(unreachable)?;
    let response: Response = response.dyn_into().map_err(unreachable)?;
    if response.ok() {
        return Ok(());
    }
    let body = match response.text() {
        Ok(text) => JsFuture::from(text)
            .await
            .ok()
            .and_then(|text| text.as_string()),
        Err(_) => None,
    };
    Err(AppError::from_status(
        response.status(),
        body.as_deref().and_then(detail),
    ))
}

/// The message in a server function's error body: `{"Variant":"message"}` (a variant
/// without one is just `"Variant"`). Parsed by the browser's JSON, not a decoder in the wasm.
fn detail(body: &str) -> Option<String> {
    let value = js_sys::JSON::parse(body).ok()?;
    let object = value.dyn_ref::<js_sys::Object>()?;
    js_sys::Object::values(object).get(0).as_string()
}

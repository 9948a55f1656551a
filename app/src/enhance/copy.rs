//! **Copy**: `<button data-copy="…">` puts its value on the clipboard and says so in the
//! status beside it for two seconds ("Copied", or how to copy by hand when the browser
//! refuses: no clipboard outside HTTPS, or permission denied).

use super::closest;
use std::time::Duration;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Event};

pub fn on_click(event: &Event) {
    let Some(button) = closest(event, "button[data-copy]") else {
        return;
    };
    let value = button.get_attribute("data-copy").unwrap_or_default();
    let status = button.next_element_sibling();
    leptos::task::spawn_local(async move {
        let copied = write(&value).await;
        if let Some(status) = status {
            say(status, copied);
        }
    });
}

async fn write(value: &str) -> bool {
    let navigator = leptos::prelude::window().navigator();
    // Only secure pages (HTTPS, localhost) have a clipboard.
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|clipboard| !clipboard.is_undefined());
    if !has_clipboard {
        return false;
    }
    JsFuture::from(navigator.clipboard().write_text(value))
        .await
        .is_ok()
}

fn say(status: Element, copied: bool) {
    let message = if copied {
        "Copied"
    } else {
        "Copy failed: select the text and copy it yourself"
    };
    status.set_text_content(Some(message));
    leptos::prelude::set_timeout(
        move || status.set_text_content(Some("")),
        Duration::from_secs(if copied { 2 } else { 6 }),
    );
}

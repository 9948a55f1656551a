//! **Copy**: `<button data-copy="…">` puts its value on the clipboard and says "Copied" in
//! the status beside it for two seconds.

use super::closest;
use std::time::Duration;
use web_sys::Event;

pub fn on_click(event: &Event) {
    let Some(button) = closest(event, "button[data-copy]") else {
        return;
    };
    let value = button.get_attribute("data-copy").unwrap_or_default();
    let _ = leptos::prelude::window()
        .navigator()
        .clipboard()
        .write_text(&value);
    if let Some(status) = button.next_element_sibling() {
        status.set_text_content(Some("Copied"));
        leptos::prelude::set_timeout(
            move || status.set_text_content(Some("")),
            Duration::from_secs(2),
        );
    }
}

//! `<time data-local datetime="…">`: the server writes instants in UTC; the hover title
//! shows them in the user's own zone and language, and an expiry that has passed
//! (`data-local="expired"`) says its date as the user's calendar has it.

use wasm_bindgen::JsValue;

/// Rewrites the titles of the page's local times (once, at start).
pub fn show_in_local_zone() {
    let Ok(times) = leptos::prelude::document().query_selector_all("time[data-local]") else {
        return;
    };
    for index in 0..times.length() {
        let Some(time) = times
            .item(index)
            .and_then(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok())
        else {
            continue;
        };
        let Some(datetime) = time.get_attribute("datetime") else {
            continue;
        };
        let date = js_sys::Date::new(&JsValue::from_str(&datetime));
        if date.get_time().is_nan() {
            continue;
        }
        let local: String = date.to_locale_string("default", &JsValue::UNDEFINED).into();
        let _ = time.set_attribute("title", &local);
        if time.get_attribute("data-local").as_deref() == Some("expired") {
            let day: String = date
                .to_locale_date_string("default", &JsValue::UNDEFINED)
                .into();
            time.set_text_content(Some(&format!("Expired on {day}")));
        }
    }
}

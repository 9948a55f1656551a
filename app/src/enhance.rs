//! Browser behaviour for plain server-rendered controls: the **Copy** buttons, the
//! sign-out forms, the **Enable API access** switch, and times shown in the user's zone. Each is markup that works (or
//! degrades) without JavaScript; one listener per event kind on the document finds them
//! by their `data-` attribute, wherever they are, in an island or not. As islands they
//! cost every signed-in page the islands runtime and a JSON decoder (about 60 KB of
//! brotli); as listeners they cost a few hundred bytes.

mod api_access;
mod copy;
mod local_times;
mod sign_out;

use wasm_bindgen::prelude::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event};

/// Starts listening (once, before the islands hydrate).
pub fn install() {
    local_times::show_in_local_zone();
    listen("click", |event| copy::on_click(&event));
    listen("submit", |event| {
        sign_out::on_submit(&event);
        api_access::on_submit(&event);
    });
}

fn listen(kind: &str, handler: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = leptos::prelude::document()
        .add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    handler.forget();
}

/// The element matching `selector` that the event happened on or inside.
fn closest(event: &Event, selector: &str) -> Option<Element> {
    event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()?
}

//! **Sign out**: `<form data-forget-draft="KEY">` removes the user's wizard draft before the
//! form posts (the post itself needs no JavaScript).

use super::closest;
use crate::components::wizard::forget_draft;
use web_sys::Event;

pub fn on_submit(event: &Event) {
    let key = closest(event, "form[data-forget-draft]")
        .and_then(|form| form.get_attribute("data-forget-draft"));
    if let Some(key) = key.filter(|key| !key.is_empty()) {
        forget_draft(&key);
    }
}

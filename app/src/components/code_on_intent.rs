//! A box whose islands' code waits for the user: on a page whose islands all sit in one,
//! the page's script hands their bootstrap to `/islands.js`, which runs it when the user
//! first moves to act in the box (the pointer on one of its buttons, a press, focus) and
//! holds a click that comes before the code is live. For pages people mostly read.

use leptos::prelude::*;

/// `children` (islands among them), their code loaded on the user's first move to act.
#[component]
pub fn CodeOnIntent(children: Children) -> impl IntoView {
    view! { <div data-code-on-intent="">{children()}</div> }
}

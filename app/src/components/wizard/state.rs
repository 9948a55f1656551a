//! The wizard's reactive state: the draft, which fields show their errors, and the
//! errors the server sent back.

use crate::domain::wizard::{Draft, Field, FieldError};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// Shared by every step; `Copy` because it only holds signals.
#[derive(Clone, Copy)]
pub struct WizardState {
    /// What the user has entered, and the step.
    pub draft: RwSignal<Draft>,
    /// Fields typed into since the page loaded.
    edited: RwSignal<BTreeSet<Field>>,
    /// Fields whose errors are shown (left after typing, or revealed by **Next**).
    shown: RwSignal<BTreeSet<Field>>,
    /// Errors from the last refused **Create**, until the field is edited.
    server_errors: RwSignal<Vec<FieldError>>,
    /// What the wizard starts from, and goes back to when the draft is discarded.
    start: StoredValue<Draft>,
}

impl WizardState {
    /// A fresh wizard.
    pub fn new() -> Self {
        Self::from_draft(Draft::default())
    }

    /// An editor that starts from `draft` (the detail page's sections).
    pub fn from_draft(draft: Draft) -> Self {
        Self {
            start: StoredValue::new(draft.clone()),
            draft: RwSignal::new(draft),
            edited: RwSignal::new(BTreeSet::new()),
            shown: RwSignal::new(BTreeSet::new()),
            server_errors: RwSignal::new(Vec::new()),
        }
    }

    /// Back to the draft it started from.
    pub fn reset(&self) {
        self.draft.set(self.start.get_value());
        self.edited.set(BTreeSet::new());
        self.shown.set(BTreeSet::new());
        self.server_errors.set(Vec::new());
    }

    /// Applies an edit to one field.
    pub fn edit(&self, field: Field, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        self.edited.update(|set| {
            set.insert(field);
        });
        self.server_errors
            .update(|errors| errors.retain(|e| e.field != field));
    }

    /// The user left a field: show its errors from now on, if they typed in it.
    pub fn left(&self, field: Field) {
        if self.edited.with_untracked(|set| set.contains(&field)) {
            self.shown.update(|set| {
                set.insert(field);
            });
        }
    }

    /// The message to show beside `field`, if any (reactive).
    pub fn message(&self, field: Field) -> Option<String> {
        let server = self.server_errors.with(|errors| {
            errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.to_string())
        });
        if server.is_some() {
            return server;
        }
        if !self.shown.with(|set| set.contains(&field)) {
            return None;
        }
        self.draft
            .with(|draft| draft.validate_field(field).err())
            .map(|e| e.to_string())
    }

    /// A signal of [`Self::message`].
    pub fn message_signal(&self, field: Field) -> Signal<Option<String>> {
        let state = *self;
        Signal::derive(move || state.message(field))
    }

    /// Shows `errors` and moves focus to the first one's control.
    pub fn reveal(&self, errors: Vec<FieldError>) {
        self.shown
            .update(|set| set.extend(errors.iter().map(|e| e.field)));
        if let Some(first) = errors.first() {
            focus(first.field.control_id());
        }
    }

    /// Shows errors the server found, on the first step that has one.
    pub fn show_server_errors(&self, errors: Vec<FieldError>) {
        let Some(first) = errors.iter().min_by_key(|e| e.field.step()) else {
            return;
        };
        let step = first.field.step();
        self.draft.update(|d| d.step = step);
        self.server_errors.set(errors.clone());
        self.reveal(
            errors
                .into_iter()
                .filter(|e| e.field.step() == step)
                .collect(),
        );
    }
}

impl Default for WizardState {
    fn default() -> Self {
        Self::new()
    }
}

/// Focuses the element with `id` once the current render has reached the page.
pub fn focus(id: &'static str) {
    request_animation_frame(move || {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(element) = document()
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = element.focus();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    });
}

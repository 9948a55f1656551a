//! Step 3, **API Scopes**: a switch per category, a checkbox per method, a filter,
//! presets and **Clear All**.

use super::WizardState;
use crate::components::FieldMessage;
use crate::domain::catalog::{Category, CATEGORIES};
use crate::domain::wizard::Field;
use crate::domain::{Preset, ScopeId};
use leptos::prelude::*;

/// Chooses the token's scopes.
#[component]
pub fn ScopesStep(wizard: WizardState) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let count = move || wizard.draft.with(|d| d.scopes.len());
    let visible = move |category: &Category| {
        // The catalogue's names are ASCII: ASCII case folding matches them all, and leaves
        // Unicode's case tables (11 KB every page would load) out of the wasm.
        let needle = filter.with(|f| f.trim().to_ascii_lowercase());
        needle.is_empty()
            || category.name.to_ascii_lowercase().contains(&needle)
            || category.id.contains(&needle)
    };
    view! {
        <div class="step-head">
            <h2>"API Scopes"</h2>
            <button
                type="button"
                class="secondary"
                on:click=move |_| wizard.edit(Field::Scopes, |d| d.clear_scopes())
            >
                "Clear All"
            </button>
        </div>
        <p class="hint">
            "Turn a category on, then tick the methods the token may use. Grant only what the integration needs."
        </p>
        <div class="scope-tools">
            <div class="field">
                <label for="scope-filter">"Filter categories"</label>
                <input
                    id="scope-filter"
                    type="search"
                    autocomplete="off"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                />
            </div>
            <div class="presets" role="group" aria-label="Presets">
                <span class="presets-label">"Presets:"</span>
                {Preset::ALL
                    .into_iter()
                    .map(|preset| {
                        view! {
                            <button
                                type="button"
                                class="secondary"
                                on:click=move |_| {
                                    wizard.edit(Field::Scopes, |d| d.select_only(preset.scopes()))
                                }
                            >
                                {preset.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
        <p class="scope-count" role="status">
            {move || match count() {
                1 => "1 scope selected".to_string(),
                n => format!("{n} scopes selected"),
            }}
        </p>
        <FieldMessage id="token-scopes-error" message=wizard.message_signal(Field::Scopes) />
        <div id="token-scopes" class="categories" tabindex="-1" aria-describedby="token-scopes-error">
            {CATEGORIES
                .iter()
                .map(|category| {
                    let shown = move || visible(category);
                    view! {
                        <Show when=shown>
                            <CategoryRow wizard category />
                        </Show>
                    }
                })
                .collect_view()}
            <Show when=move || !CATEGORIES.iter().any(visible)>
                <p class="empty">"No category matches the filter."</p>
            </Show>
        </div>
    }
}

#[component]
fn CategoryRow(wizard: WizardState, category: &'static Category) -> impl IntoView {
    let draft = wizard.draft;
    let on = move || draft.with(|d| d.category_on(category.id));
    let name_id = format!("category-{}", category.id);
    let labelled_by = name_id.clone();
    view! {
        <fieldset class="category" aria-labelledby=labelled_by class:on=on>
            <div class="category-head">
                <label class="switch">
                    <input
                        type="checkbox"
                        role="switch"
                        prop:checked=on
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            wizard.edit(Field::Scopes, |d| d.set_category(category.id, checked));
                        }
                    />
                    <span id=name_id class="switch-label">{category.name}</span>
                </label>
                <button
                    type="button"
                    class="link"
                    disabled=move || !on()
                    aria-label=format!("Select all in {}", category.name)
                    on:click=move |_| {
                        let all = category.methods.iter().filter_map(|&m| ScopeId::of(category.id, m));
                        wizard.edit(Field::Scopes, |d| {
                            for scope in all {
                                d.set_scope(scope, true);
                            }
                        });
                    }
                >
                    "Select all"
                </button>
            </div>
            <div class="methods">
                {category
                    .methods
                    .iter()
                    .filter_map(|&method| ScopeId::of(category.id, method))
                    .map(|scope| {
                        let id = scope.to_string();
                        let checked = {
                            let id = id.clone();
                            move || draft.with(|d| d.scopes.contains(&id))
                        };
                        view! {
                            <label class="method" class:write=scope.method().access() != crate::domain::catalog::Access::Read>
                                <input
                                    type="checkbox"
                                    disabled=move || !on()
                                    prop:checked=checked
                                    on:change=move |ev| {
                                        let ticked = event_target_checked(&ev);
                                        wizard.edit(Field::Scopes, |d| d.set_scope(scope, ticked));
                                    }
                                />
                                {scope.method().label()}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
        </fieldset>
    }
}

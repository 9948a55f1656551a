//! The token list's filters: a plain GET form, so the filtered list lives in the URL,
//! can be linked and reloaded, and works without JavaScript (the server renders it).

use crate::domain::token_filter::{CreatedWithin, StateFilter, TokenFilter};
use leptos::prelude::*;

/// Search by name, **Created on**, **State**, and **Clear all**.
#[component]
pub fn TokenFilters(filter: Signal<TokenFilter>) -> impl IntoView {
    view! {
        <form method="get" action="/settings/api" class="filters" role="search" aria-label="Filter tokens">
            <div class="field">
                <label for="filter-search">"Search by name"</label>
                <input
                    id="filter-search"
                    name="q"
                    type="search"
                    autocomplete="off"
                    maxlength="64"
                    value=move || filter.with(|f| f.search.clone())
                />
            </div>
            <div class="field">
                <label for="filter-created">"Created on"</label>
                <select id="filter-created" name="created">
                    {CreatedWithin::ALL
                        .into_iter()
                        .map(|choice| view! {
                            <option value=choice.id() selected=move || filter.with(|f| f.created == choice)>
                                {choice.label()}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-state">"State"</label>
                <select id="filter-state" name="state">
                    {StateFilter::ALL
                        .into_iter()
                        .map(|choice| view! {
                            <option value=choice.id() selected=move || filter.with(|f| f.state == choice)>
                                {choice.label()}
                            </option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="secondary">"Apply filters"</button>
                <a href="/settings/api" class="button link">"Clear all"</a>
            </div>
        </form>
    }
}

//! `/settings/api/budgets`: the account's shared **Budgets** — a name and a rate limit
//! and/or a quota that several tokens draw on together. Plain forms for administrators
//! (they post without JavaScript and the page comes back); the page has no code of its own.

use crate::api::budgets::{get_budgets, Budgets, CreateBudget, DeleteBudget, UpdateBudget};
use crate::components::{ErrorPanel, LimitsRows};
use crate::domain::expiration::format_instant;
use crate::domain::limits::{BudgetView, Limits};
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::LazyRoute;

/// The Budgets page; Analyst and Finance get the 403 page.
pub struct BudgetsPage {
    budgets: Resource<Result<Budgets, AppError>>,
}

impl LazyRoute for BudgetsPage {
    fn data() -> Self {
        Self {
            budgets: Resource::new(|| (), |()| get_budgets()),
        }
    }

    async fn view(this: Self) -> AnyView {
        let budgets = this.budgets;
        view! {
            <Title text="Budgets" />
            <header class="page-header">
                <div>
                    <p class="breadcrumb"><a href="/settings/api">"API"</a>" / Budgets"</p>
                    <h1>"Budgets"</h1>
                    <p class="lede">
                        "A budget is a rate limit and/or a quota that several tokens draw on together: one agency, one budget, several tokens. A token on a budget keeps its own limits too; the tighter refuses. Choose a token's budget in its Limits."
                    </p>
                </div>
            </header>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match budgets.await {
                        Ok(budgets) => view! { <BudgetList budgets /> }.into_any(),
                        Err(AppError::Forbidden) => view! {
                            <ForbiddenPage hint="Budgets are open to Account Administrators and Implementation Specialists." />
                        }
                        .into_any(),
                        Err(AppError::Unauthorized) => view! { <Redirect path="/login" /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Suspense>
        }
        .into_any()
    }
}

#[component]
fn BudgetList(budgets: Budgets) -> impl IntoView {
    let can_manage = budgets.can_manage;
    let empty = budgets.budgets.is_empty();
    let create = can_manage.then(|| {
        view! {
            <section class="card" aria-labelledby="new-budget-heading">
                <h2 id="new-budget-heading">"New budget"</h2>
                <form class="policy-form" method="post" action=CreateBudget::url()>
                    <div class="field">
                        <label for="budget-name">"Budget name"</label>
                        <input id="budget-name" name="name" autocomplete="off" required />
                    </div>
                    <LimitsRows legend="Limits" prefix="" limits=Limits::default() id_prefix="new-budget".to_string() />
                    <button type="submit" class="primary">"Create budget"</button>
                </form>
            </section>
        }
    });
    view! {
        {create}
        {empty.then(|| view! { <p class="card muted">"No budgets yet."</p> })}
        {budgets
            .budgets
            .into_iter()
            .map(|budget| view! { <BudgetCard budget can_manage /> })
            .collect_view()}
    }
}

#[component]
fn BudgetCard(budget: BudgetView, can_manage: bool) -> impl IntoView {
    let heading = format!("budget-{}-heading", budget.id);
    let heading_id = heading.clone();
    let remaining = budget.quota_use.map(|used| {
        let refill = used
            .refills_at
            .map_or_else(|| "Never refilled.".to_string(), |at| format!("Refills {}.", format_instant(at)));
        view! {
            <div><dt>{used.label()}</dt><dd>{used.describe()}" "<span class="hint">{refill}</span></dd></div>
        }
    });
    let tokens = if budget.tokens.is_empty() {
        view! { <p class="muted">"No token draws on it yet."</p> }.into_any()
    } else {
        view! {
            <ul class="budget-tokens">
                {budget
                    .tokens
                    .iter()
                    .map(|(sid, name)| view! { <li><a href=format!("/settings/api/tokens/{sid}")>{name.clone()}</a></li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let forms = can_manage.then(|| {
        let id = budget.id.to_string();
        view! {
            <form class="policy-form" method="post" action=UpdateBudget::url()>
                <input type="hidden" name="id" value=id.clone() />
                <LimitsRows legend="Change its limits" prefix="" limits=budget.limits id_prefix=format!("budget-{id}") />
                <button type="submit" class="secondary">"Save budget"</button>
            </form>
            <form method="post" action=DeleteBudget::url()>
                <input type="hidden" name="id" value=id />
                <button type="submit" class="danger">"Delete budget"</button>
                <span class="hint">" Its tokens keep their own limits."</span>
            </form>
        }
    });
    view! {
        <section class="card budget" aria-labelledby=heading_id>
            <h2 id=heading>{budget.name.clone()}</h2>
            <dl class="facts">
                <div><dt>"Rate limit"</dt><dd>{budget.limits.rate_words()}</dd></div>
                <div><dt>"Quota"</dt><dd>{budget.limits.quota_words()}</dd></div>
                {remaining}
            </dl>
            <h3>"Tokens on it"</h3>
            {tokens}
            {forms}
        </section>
    }
}

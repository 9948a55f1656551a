//! `/settings/activity`: every audit event of the account, newest first, a keyset page at
//! a time, with filters in the URL and a CSV export of what they select. Rendered on the
//! server, no code of its own: filters are a plain GET form and pages plain links.

use crate::api::activity::{list_activity, ActivityEvent, ActivityView};
use crate::components::ErrorPanel;
use crate::domain::activity::{ActivityFilter, Direction};
use crate::domain::audit::AuditAction;
use crate::error::AppError;
use crate::pages::ForbiddenPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;
use leptos_router::LazyRoute;

/// The activity page; Analyst and Finance get the 403 page.
pub struct ActivityPage {
    view: Resource<Result<ActivityView, AppError>>,
    parsed: Memo<(ActivityFilter, Option<Direction>, Vec<String>)>,
}

impl LazyRoute for ActivityPage {
    fn data() -> Self {
        let query = use_query_map();
        let parsed =
            Memo::new(move |_| query.with(|q| ActivityFilter::from_query(|key| q.get(key))));
        let view = Resource::new(
            move || parsed.with(|(filter, direction, _)| (filter.clone(), *direction)),
            |(filter, direction)| list_activity(filter, direction),
        );
        Self { view, parsed }
    }

    async fn view(this: Self) -> AnyView {
        let ActivityPage { view, parsed } = this;
        view! {
            <Title text="Activity" />
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let (filter, direction, ignored) = parsed.get_untracked();
                    match view.await {
                        Ok(page) => view! { <ActivityLog page filter direction ignored /> }.into_any(),
                        Err(AppError::Forbidden) => view! {
                            <ForbiddenPage hint="The account's activity is open to Account Administrators and Implementation Specialists." />
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
fn ActivityLog(
    page: ActivityView,
    filter: ActivityFilter,
    direction: Option<Direction>,
    ignored: Vec<String>,
) -> impl IntoView {
    let export = filter.export_href();
    let empty = page.events.is_empty();
    let pager = PagerLinks {
        filter: filter.clone(),
        direction,
        older: page.older,
        newer: page.newer,
    };
    view! {
        <header class="page-header">
            <div>
                <h1>"Activity"</h1>
                <p class="lede">
                    "Everything that happened in this account: tokens, API access, users and sign-in throttling. Newest first; times in UTC."
                </p>
            </div>
            <a class="button secondary" href=export download="">"Export CSV"</a>
        </header>
        <section class="card" aria-labelledby="activity-heading">
            <h2 id="activity-heading" class="visually-hidden">"Events"</h2>
            <ActivityFilters filter=filter.clone() actors=page.actors />
            {(!ignored.is_empty()).then(|| view! {
                <p class="alert info" role="status">
                    {format!("Ignored a filter this page can't read: {}.", ignored.join(", "))}
                </p>
            })}
            {if empty {
                let text = if filter.is_active() {
                    "No events match these filters."
                } else {
                    "Nothing has happened in this account yet."
                };
                view! { <p class="empty">{text}</p> }.into_any()
            } else {
                view! { <EventTable events=page.events /> }.into_any()
            }}
            {pager.view()}
        </section>
    }
}

/// **Token SID**, **Actor**, **Action**, **From** and **To**: a plain GET form.
#[component]
fn ActivityFilters(filter: ActivityFilter, actors: Vec<(i64, String)>) -> impl IntoView {
    let action = filter.action;
    let actor = filter.actor;
    view! {
        <form method="get" action="/settings/activity" class="filters" role="search" aria-label="Filter activity">
            <div class="field">
                <label for="activity-token">"Token SID"</label>
                <input id="activity-token" name="token" type="search" autocomplete="off" maxlength="64" value=filter.token.clone() />
            </div>
            <div class="field">
                <label for="activity-actor">"Actor"</label>
                <select id="activity-actor" name="actor">
                    <option value="" selected=actor.is_none()>"Anyone"</option>
                    {actors
                        .into_iter()
                        .map(|(id, name)| view! { <option value=id.to_string() selected=actor == Some(id)>{name}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="activity-action">"Action"</label>
                <select id="activity-action" name="action">
                    <option value="" selected=action.is_none()>"Any action"</option>
                    {AuditAction::ALL
                        .into_iter()
                        .map(|choice| view! {
                            <option value=choice.id() selected=action == Some(choice)>{choice.summary()}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="activity-from">"From (UTC)"</label>
                <input id="activity-from" name="from" type="date" value=filter.from.clone() />
            </div>
            <div class="field">
                <label for="activity-to">"To (UTC)"</label>
                <input id="activity-to" name="to" type="date" value=filter.to.clone() />
            </div>
            <div class="filter-actions">
                <button type="submit" class="secondary">"Apply filters"</button>
                <a href="/settings/activity" class="button link">"Clear all"</a>
            </div>
        </form>
    }
}

#[component]
fn EventTable(events: Vec<ActivityEvent>) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-label="Events table" tabindex="0"><table class="activity">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Actor"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Token"</th>
                    <th scope="col">"Details"</th>
                </tr>
            </thead>
            <tbody>
                {events
                    .into_iter()
                    .map(|event| {
                        let token = event.token.map(|(sid, name)| {
                            let href = format!("/settings/api/tokens/{sid}");
                            view! { <a href=href>{name}</a><br /><code class="sid">{sid}</code> }
                        });
                        view! {
                            <tr>
                                <td><time datetime=event.datetime data-local="">{event.at}</time></td>
                                <td>{event.actor}</td>
                                <td>{event.summary}</td>
                                <td>{token}</td>
                                <td>
                                    <ul class="details">
                                        {event.lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                    </ul>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table></div>
    }
}

/// **Newest**, **Newer** and **Older**: plain links that keep the filters.
struct PagerLinks {
    filter: ActivityFilter,
    direction: Option<Direction>,
    older: Option<Direction>,
    newer: Option<Direction>,
}

impl PagerLinks {
    fn view(self) -> impl IntoView {
        let link = |text: &'static str,
                    to: Option<Option<Direction>>,
                    rel: Option<&'static str>| match to {
            Some(to) => view! { <a href=self.filter.href(to) rel=rel>{text}</a> }.into_any(),
            None => view! { <span aria-disabled="true">{text}</span> }.into_any(),
        };
        view! {
            <nav class="pager" aria-label="Activity pages">
                {link("Newest", self.direction.is_some().then_some(None), None)}
                {link("Newer", self.newer.map(Some), Some("prev"))}
                {link("Older", self.older.map(Some), Some("next"))}
            </nav>
        }
    }
}

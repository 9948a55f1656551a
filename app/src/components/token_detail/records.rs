//! The audit history and the contacts' outbox.

use crate::api::tokens::{HistoryEntry, OutboxEntry};
use crate::components::Pager;
use crate::domain::paging::{grouped, Page};
use leptos::prelude::*;

/// Where the token page shows these pages of its history and outbox.
pub fn token_href(sid: &str, history: u32, outbox: u32) -> String {
    let pairs: Vec<String> = [("history", history), ("outbox", outbox)]
        .into_iter()
        .filter(|(_, page)| *page > 1)
        .map(|(name, page)| format!("{name}={page}"))
        .collect();
    let path = format!("/settings/api/tokens/{sid}");
    if pairs.is_empty() {
        path
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

/// "Showing 51–100 of 312 events", or nothing when everything fits on one page.
fn shown(page: Page, what: &str) -> Option<String> {
    (page.count > 1).then(|| {
        let (first, last) = page.shown();
        format!("Showing {first}–{last} of {} {what}", grouped(page.items))
    })
}

/// Every change, newest first, with who and when, a page at a time; `href` links the
/// other pages.
#[component]
pub fn History(
    entries: Vec<HistoryEntry>,
    page: Page,
    href: Callback<u32, String>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            {shown(page, "events").map(|text| view! { <p class="list-count">{text}</p> })}
            <ol class="history" aria-label="History">
                {entries
                    .into_iter()
                    .map(|entry| {
                        view! {
                            <li>
                                <p>
                                    <strong>{entry.summary}</strong>
                                    {format!(" by {} · {}", entry.actor, entry.at)}
                                </p>
                                {(!entry.details.is_empty()).then(|| view! {
                                    <ul class="changes">
                                        {entry.details.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {(page.count > 1).then(|| view! { <Pager page label="History pages" href /> })}
        </section>
    }
}

/// Messages to the token's contacts and whether they went out, a page at a time.
#[component]
pub fn OutboxList(
    entries: Vec<OutboxEntry>,
    page: Page,
    href: Callback<u32, String>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">"Notifications"</h2>
            <p class="hint">
                "What the token's contacts are told about each change. Developer emails get at most "
                {crate::domain::DEVELOPER_MESSAGES_PER_HOUR}
                " messages an hour about one token; later changes reach them in one summary."
            </p>
            {shown(page, "messages").map(|text| view! { <p class="list-count">{text}</p> })}
            {if entries.is_empty() {
                view! { <p class="empty">"No notifications yet."</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll" role="region" aria-label="Notifications table" tabindex="0"><table class="outbox">
                        <thead>
                            <tr><th scope="col">"Recipient"</th><th scope="col">"Subject"</th><th scope="col">"Queued"</th><th scope="col">"Status"</th></tr>
                        </thead>
                        <tbody>
                            {entries
                                .into_iter()
                                .map(|entry| view! {
                                    <tr>
                                        <td>{entry.recipient}</td>
                                        <td>{entry.subject}</td>
                                        <td>{entry.queued_at}</td>
                                        <td>{entry.status}</td>
                                    </tr>
                                })
                                .collect_view()}
                        </tbody>
                    </table></div>
                }
                .into_any()
            }}
            {(page.count > 1).then(|| view! { <Pager page label="Notification pages" href /> })}
        </section>
    }
}

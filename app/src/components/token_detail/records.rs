//! The audit history and the contacts' outbox.

use crate::api::tokens::{HistoryEntry, OutboxEntry};
use leptos::prelude::*;

/// Every change, newest first, with who and when.
#[component]
pub fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
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
        </section>
    }
}

/// Messages to the token's contacts and whether they went out.
#[component]
pub fn OutboxList(entries: Vec<OutboxEntry>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="outbox-heading">
            <h2 id="outbox-heading">"Notifications"</h2>
            <p class="hint">
                "What the token's contacts are told about each change. Developer emails get at most "
                {crate::domain::DEVELOPER_MESSAGES_PER_HOUR}
                " messages an hour about one token; later changes reach them in one summary."
            </p>
            {if entries.is_empty() {
                view! { <p class="empty">"No notifications yet."</p> }.into_any()
            } else {
                view! {
                    <table class="outbox">
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
                    </table>
                }
                .into_any()
            }}
        </section>
    }
}

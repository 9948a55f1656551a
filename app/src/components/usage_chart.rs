//! A token's use of the sandbox API, drawn on the server: a bar a day for 30 days (allowed,
//! refused on top, then limited), the same numbers as a table for screen readers, and where the last
//! call came from. No code runs in the browser for it.

use crate::domain::expiration::format_instant;
use crate::domain::limits::QuotaUse;
use crate::domain::usage::{bars, TokenUsage};
use leptos::prelude::*;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 120.0;

/// The **Usage** card, with what is left of the token's quota.
#[component]
pub fn UsageCard(usage: TokenUsage, quota_use: Option<QuotaUse>) -> impl IntoView {
    let remaining = quota_use.map(|used| {
        let refill = match used.refills_at {
            Some(at) => format!("Refills {}.", format_instant(at)),
            None => "Never refilled.".to_string(),
        };
        let class = if used.is_near() {
            "remaining near"
        } else {
            "remaining"
        };
        view! {
            <div class=class>
                <dt>{used.label()}</dt>
                <dd><strong>{used.describe()}</strong>" "<span class="hint">{refill}</span></dd>
            </div>
        }
    });
    let (allowed, refused, limited) = usage.totals();
    let summary = format!(
        "{allowed} allowed, {refused} refused and {limited} limited requests in the last 30 days."
    );
    let slot = WIDTH / usage.days.len().max(1) as f64;
    let bar_width = format!("{:.1}", slot * 0.8);
    let drawn = bars(&usage.days, WIDTH, HEIGHT)
        .into_iter()
        .zip(usage.days.iter())
        .map(|(bar, day)| {
            let label = format!(
                "{}: {} allowed, {} refused, {} limited",
                day.date, day.allowed, day.refused, day.limited
            );
            let width = bar_width.clone();
            view! {
                <g>
                    <title>{label}</title>
                    <rect class="allowed" x=format!("{:.1}", bar.x) y=format!("{:.1}", bar.allowed_y) width=width.clone() height=format!("{:.1}", bar.allowed_height) />
                    <rect class="refused" x=format!("{:.1}", bar.x) y=format!("{:.1}", bar.refused_y) width=width.clone() height=format!("{:.1}", bar.refused_height) />
                    <rect class="limited" x=format!("{:.1}", bar.x) y=format!("{:.1}", bar.limited_y) width=width height=format!("{:.1}", bar.limited_height) />
                </g>
            }
        })
        .collect_view();
    let first = usage
        .days
        .first()
        .map(|d| d.date.clone())
        .unwrap_or_default();
    let last = usage
        .days
        .last()
        .map(|d| d.date.clone())
        .unwrap_or_default();
    let rows = usage
        .days
        .iter()
        .map(|day| {
            view! {
                <tr>
                    <th scope="row">{day.date.clone()}</th>
                    <td>{day.allowed}</td>
                    <td>{day.refused}</td>
                    <td>{day.limited}</td>
                </tr>
            }
        })
        .collect_view();
    let address = usage
        .last_address
        .clone()
        .unwrap_or_else(|| "No calls yet".to_string());
    let agent = usage
        .last_user_agent
        .clone()
        .unwrap_or_else(|| "Not sent".to_string());
    view! {
        <section class="card usage" aria-labelledby="usage-heading">
            <h2 id="usage-heading">"Usage"</h2>
            <p id="usage-summary">{summary}</p>
            <figure class="usage-chart">
                <svg
                    viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                    preserveAspectRatio="none"
                    aria-hidden="true"
                    focusable="false"
                >
                    {drawn}
                </svg>
                <figcaption>
                    <span>{first}</span>
                    <span class="legend"><span class="swatch allowed"></span>" Allowed "<span class="swatch refused"></span>" Refused "<span class="swatch limited"></span>" Limited"</span>
                    <span>{last}</span>
                </figcaption>
            </figure>
            // Hidden in a box of its own: a table is never narrower than its content, and
            // would widen a narrow page.
            <div class="visually-hidden">
                <table>
                    <caption>"Requests per day (UTC)"</caption>
                    <thead>
                        <tr><th scope="col">"Day"</th><th scope="col">"Allowed"</th><th scope="col">"Refused"</th><th scope="col">"Limited"</th></tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <dl class="facts">
                {remaining}
                <div><dt>"Last used from"</dt><dd>{address}</dd></div>
                <div><dt>"Last User-Agent"</dt><dd>{agent}</dd></div>
            </dl>
        </section>
    }
}

//! `GET /settings/activity/export.csv`: the account's audit events that the page's filters
//! select, as CSV, streamed a batch at a time (a large log never sits in memory), with
//! cells quoted and never run as spreadsheet formulas (`app::domain::activity::csv_cell`).

use crate::http::deadline::Deadline;
use app::api::activity::ActivityEvent;
use app::domain::activity::{csv_line, ActivityFilter, Direction};
use app::domain::expiration::format_date;
use app::domain::Permission;
use app::ssr::auth;
use app::ssr::db::activity;
use app::ssr::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use bytes::Bytes;
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use http::{HeaderMap, HeaderValue, StatusCode};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Instant;

/// Events read per query.
const BATCH: u32 = 500;

/// The file ends this long before the response's deadline, with a line that says so,
/// rather than be cut off mid-row when the deadline passes.
const FINISH_BEFORE: Duration = Duration::from_secs(2);

/// The export, for Account Administrators and Implementation Specialists; nobody signed in
/// is sent to sign in, another role gets 403.
pub async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    deadline: Option<Extension<Deadline>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let secure = auth::is_secure(state.secure_cookies, &headers);
    let user = match auth::user_for_headers(&state.pool, &headers, secure).await {
        Ok(Some(user)) => user,
        Ok(None) => {
            return (StatusCode::SEE_OTHER, [(LOCATION, "/login")]).into_response();
        }
        Err(error) => return (error.status(), error.to_string()).into_response(),
    };
    if !user.role.allows(Permission::ViewActivity) || user.must_change_password {
        return (
            StatusCode::FORBIDDEN,
            "The account's activity is open to Account Administrators and Implementation Specialists.",
        )
            .into_response();
    }
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let (filter, _, ignored) = ActivityFilter::from_query(get);
    if !ignored.is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            format!("These filters can't be read: {}.", ignored.join(", ")),
        )
            .into_response();
    }
    let stop_at = deadline.map_or_else(
        || Instant::now() + Duration::from_secs(3600),
        |Extension(Deadline(at))| at.checked_sub(FINISH_BEFORE).unwrap_or(at),
    );
    let (sender, receiver) = tokio::sync::mpsc::channel::<Bytes>(4);
    let pool = state.pool.clone();
    let account_id = user.account_id;
    tokio::spawn(async move {
        let header = csv_line([
            "time_utc",
            "actor",
            "action",
            "summary",
            "token_sid",
            "token_name",
            "details",
        ]);
        if sender.send(Bytes::from(header)).await.is_err() {
            return;
        }
        let mut direction = None;
        let mut written = 0usize;
        loop {
            let read = activity::page(&pool, account_id, &filter, direction, BATCH);
            let read = async {
                if Instant::now() >= stop_at {
                    return None;
                }
                tokio::time::timeout_at(stop_at, read).await.ok()
            };
            let page = match read.await {
                Some(Ok(page)) => page,
                Some(Err(error)) => {
                    // The status is gone: the file's last line and the log say why.
                    tracing::error!(?error, "activity export stopped");
                    let _ = sender
                        .send(cut_line(written, "the database did not answer"))
                        .await;
                    return;
                }
                None => {
                    tracing::warn!(rows = written, "activity export cut at its time limit");
                    let _ = sender.send(cut_line(written, "it took too long")).await;
                    return;
                }
            };
            written += page.rows.len();
            let last = page.rows.last().map(|row| app::domain::activity::Cursor {
                at: row.created_at,
                id: row.id,
            });
            let mut chunk = String::new();
            for row in page.rows {
                let event = ActivityEvent::from_row(row);
                let (sid, name) = event.token.unwrap_or_default();
                let details = event.lines.join("; ");
                chunk.push_str(&csv_line([
                    event.datetime.as_str(),
                    &event.actor,
                    &event.action,
                    &event.summary,
                    &sid,
                    &name,
                    &details,
                ]));
            }
            if sender.send(Bytes::from(chunk)).await.is_err() {
                return;
            }
            match (page.has_older, last) {
                (true, Some(last)) => direction = Some(Direction::Before(last)),
                _ => return,
            }
        }
    });
    let file = format!(
        "attachment; filename=\"tokensmith-activity-{}-{}.csv\"",
        user.account_sid,
        format_date(app::ssr::now())
    );
    let mut response = Body::new(Chunks(receiver)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&file) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    response
}

/// The last line of a file that ends early: a row whose first cell says so, and what to do.
fn cut_line(rows: usize, why: &str) -> Bytes {
    let note = format!(
        "The export stopped after {rows} events because {why}: narrow the dates (or other \
         filters) and export again for the rest."
    );
    Bytes::from(csv_line(["EXPORT INCOMPLETE", "", "", &note, "", "", ""]))
}

/// A response body fed by a channel: each message is a chunk, the sender's end is the end.
struct Chunks(tokio::sync::mpsc::Receiver<Bytes>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|bytes| Ok(http_body::Frame::data(bytes))))
    }
}

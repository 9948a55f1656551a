//! `GET /settings/activity/export.csv`: the account's audit events that the page's filters
//! select, as CSV, streamed a batch at a time (a large log never sits in memory), with
//! cells quoted and never run as spreadsheet formulas (`app::domain::activity::csv_cell`).

use crate::http::deadline::Deadline;
use app::api::activity::ActivityEvent;
use app::domain::activity::{csv_line, ActivityFilter, Cursor, Direction};
use app::domain::expiration::format_date;
use app::domain::{Actor, Permission};
use app::error::AppError;
use app::ssr::auth;
use app::ssr::db::activity::{self, ActivityPage};
use app::ssr::db::Db;
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
use tokio::sync::mpsc::Sender;
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
    let user = match reader(&state, &headers).await {
        Ok(user) => user,
        Err(refused) => return refused,
    };
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
    let source = Source {
        pool: state.pool.clone(),
        account_id: user.account_id,
        filter,
        stop_at,
    };
    tokio::spawn(source.write_to(sender));
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

/// The signed-in user, if they may read the account's activity; the answer otherwise.
async fn reader(state: &AppState, headers: &HeaderMap) -> Result<Actor, Response> {
    let secure = auth::is_secure(state.secure_cookies, headers);
    let user = match auth::user_for_headers(&state.pool, headers, secure).await {
        Ok(Some(user)) => user,
        Ok(None) => return Err((StatusCode::SEE_OTHER, [(LOCATION, "/login")]).into_response()),
        Err(error) => return Err((error.status(), error.to_string()).into_response()),
    };
    if !user.role.allows(Permission::ViewActivity) || user.is_held_back() {
        return Err((
            StatusCode::FORBIDDEN,
            "The account's activity is open to Account Administrators and Implementation Specialists.",
        )
            .into_response());
    }
    Ok(user)
}

/// The events a file holds, and when it must end.
struct Source {
    pool: Db,
    account_id: i64,
    filter: ActivityFilter,
    stop_at: Instant,
}

impl Source {
    /// Sends the file a batch at a time until the last event, the reader's going away, a
    /// database error or the time limit (those two end the file with a line that says so).
    async fn write_to(self, sender: Sender<Bytes>) {
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
            // A reader gone is heard of at once, not at the next send: no batch is read
            // for nobody.
            if sender.is_closed() {
                return;
            }
            let page = match self.read(direction).await {
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
            let last = page.rows.last().map(|row| Cursor {
                at: row.created_at,
                id: row.id,
            });
            let has_older = page.has_older;
            if sender.send(csv_rows(page)).await.is_err() {
                return;
            }
            match (has_older, last) {
                (true, Some(last)) => direction = Some(Direction::Before(last)),
                _ => return,
            }
        }
    }

    /// The next batch; `None` once the time limit has come.
    async fn read(&self, direction: Option<Direction>) -> Option<Result<ActivityPage, AppError>> {
        if Instant::now() >= self.stop_at {
            return None;
        }
        let read = activity::page(&self.pool, self.account_id, &self.filter, direction, BATCH);
        tokio::time::timeout_at(self.stop_at, read).await.ok()
    }
}

/// A batch of events as CSV lines.
fn csv_rows(page: ActivityPage) -> Bytes {
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
    Bytes::from(chunk)
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

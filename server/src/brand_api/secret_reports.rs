//! Secrets reported exposed: `POST /secret-scanning/github` (GitHub's secret-scanning
//! partner format, signed) and `POST /secret-scanning/report` (anyone, unsigned). Each
//! reported secret that is a token's takes its account's **When a token is exposed**
//! policy once ([`app::ssr::db::exposure`]); the secret itself is never logged or stored.

pub(crate) mod github;
pub(crate) mod public;

use crate::telemetry::outcomes::{ReportLabel, ReportSource};
use crate::telemetry::prometheus;
use app::domain::exposure::{clean_url, Reporter};
use app::domain::TokenSecret;
use app::ssr::credentials::hash_secret;
use app::ssr::db::exposure::{self, Finding, Report};
use app::ssr::db::Db;
use app::ssr::now;

/// The longest secret looked at: anything longer is no Auth Token.
const MAX_TOKEN: usize = 256;

/// Handles one reported `token` found at `url`: whether it is a token's secret. Text that
/// isn't an Auth Token costs no lookup. `Err` when the database could not be reached.
pub async fn handle_one(
    pool: &Db,
    token: &str,
    url: Option<&str>,
    reporter: &Reporter,
) -> Result<ReportLabel, app::error::AppError> {
    let source = match reporter {
        Reporter::GitHub(_) => ReportSource::GitHub,
        Reporter::Public => ReportSource::Public,
    };
    let parsed = (token.len() <= MAX_TOKEN)
        .then(|| TokenSecret::parse(token.trim()).ok())
        .flatten();
    let label = match parsed {
        None => ReportLabel::FalsePositive,
        Some(secret) => {
            let hash = hash_secret(&secret);
            let url = url.and_then(clean_url);
            let report = Report {
                hash: &hash,
                url: url.as_deref(),
                reporter,
            };
            match exposure::report(pool, report, now()).await {
                Ok(Finding::Unknown) => ReportLabel::FalsePositive,
                Ok(Finding::Known { newly, sid }) => {
                    if newly {
                        tracing::warn!(%sid, reporter = %reporter.stored(), "secret reported exposed");
                    }
                    ReportLabel::TruePositive
                }
                Err(error) => {
                    prometheus::secret_report(source, ReportLabel::Unchecked);
                    return Err(error);
                }
            }
        }
    };
    prometheus::secret_report(source, label);
    Ok(label)
}

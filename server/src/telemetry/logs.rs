//! Where log lines go: standard output, as text or one JSON object per line (the request's
//! id inside `span`); `RUST_LOG` filters.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// Installs the logger. Text is coloured only on a terminal: a file or a log collector
/// gets plain lines.
pub fn init(format: LogFormat) {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal());
    match format {
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        LogFormat::Text => logs.init(),
    }
}

//! `TOKENSMITH_QUOTA_JOURNAL`: where this instance records what its quota leases spent
//! (see `brand_api::quota_journal`). Default `data/quota-<port>.journal`, one per port, so
//! an instance started again on its port finds its own; `off` keeps none (a killed
//! instance's leases then lapse and count as spent).

use std::net::SocketAddr;
use std::path::PathBuf;

/// The variable's name.
pub const QUOTA_JOURNAL_VAR: &str = "TOKENSMITH_QUOTA_JOURNAL";

/// The journal's path from the variable's value (`None`: unset), for an instance
/// listening on `site_addr`; `None` when it is `off`.
pub fn quota_journal(
    value: Option<&str>,
    site_addr: SocketAddr,
) -> Result<Option<PathBuf>, String> {
    match value.map(str::trim) {
        None => Ok(Some(PathBuf::from(format!(
            "data/quota-{}.journal",
            site_addr.port()
        )))),
        Some("off") => Ok(None),
        Some("") => Err(format!(
            "{QUOTA_JOURNAL_VAR} is empty: give a file's path, or off to keep no journal"
        )),
        Some(path) => Ok(Some(PathBuf::from(path))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_journal_per_port_unless_told() {
        let addr: SocketAddr = "127.0.0.1:3100".parse().unwrap();
        assert_eq!(
            quota_journal(None, addr),
            Ok(Some(PathBuf::from("data/quota-3100.journal")))
        );
        assert_eq!(quota_journal(Some("off"), addr), Ok(None));
        assert_eq!(
            quota_journal(Some("/var/lib/ts/q.journal"), addr),
            Ok(Some(PathBuf::from("/var/lib/ts/q.journal")))
        );
        assert!(quota_journal(Some(" "), addr)
            .unwrap_err()
            .contains(QUOTA_JOURNAL_VAR));
    }
}

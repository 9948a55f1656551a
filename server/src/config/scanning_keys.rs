//! `TOKENSMITH_SECRET_SCANNING_KEYS`: the keys GitHub's secret-scanning reports are signed
//! with, read once at start.

/// `TOKENSMITH_SECRET_SCANNING_KEYS`: a file in GitHub's `public_keys` format; unset or
/// blank, no keys.
pub fn scanning_keys() -> Result<crate::brand_api::scanning_keys::ScanningKeys, String> {
    use crate::brand_api::scanning_keys::ScanningKeys;
    const VAR: &str = "TOKENSMITH_SECRET_SCANNING_KEYS";
    match std::env::var(VAR) {
        Ok(path) if !path.trim().is_empty() => {
            let name = format!("{VAR}={path:?}");
            let json = std::fs::read_to_string(path.trim())
                .map_err(|e| format!("{name} can't be read: {e}"))?;
            ScanningKeys::from_json(&json, &name)
        }
        _ => Ok(ScanningKeys::default()),
    }
}

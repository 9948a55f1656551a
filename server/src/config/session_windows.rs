//! How long a session may idle, and how long a proof lets sensitive changes through.

/// The variable that sets the idle timeout, in minutes.
pub const IDLE_MINUTES_VAR: &str = "TOKENSMITH_SESSION_IDLE_MINUTES";

/// The idle timeout in seconds from the variable's value: whole minutes from 1 up to the
/// absolute lifetime (12 h); unset means 30 minutes.
pub fn idle_secs_from(value: Option<&str>) -> Result<i64, String> {
    let Some(value) = value else {
        return Ok(app::ssr::auth::DEFAULT_IDLE_SECS);
    };
    let max = app::ssr::auth::SESSION_TTL_SECS / 60;
    match value.trim().parse::<i64>() {
        Ok(minutes) if (1..=max).contains(&minutes) => Ok(minutes * 60),
        _ => Err(format!(
            "{IDLE_MINUTES_VAR} must be a whole number of minutes from 1 to {max}, not {value:?}"
        )),
    }
}

/// The variable that sets sudo mode's window, in minutes.
pub const SUDO_MINUTES_VAR: &str = "TOKENSMITH_SUDO_MINUTES";

/// Sudo mode's window in seconds from the variable's value: whole minutes from 1 to 60;
/// unset means 15 minutes.
pub fn sudo_secs_from(value: Option<&str>) -> Result<i64, String> {
    let Some(value) = value else {
        return Ok(app::ssr::auth::DEFAULT_SUDO_SECS);
    };
    match value.trim().parse::<i64>() {
        Ok(minutes) if (1..=60).contains(&minutes) => Ok(minutes * 60),
        _ => Err(format!(
            "{SUDO_MINUTES_VAR} must be a whole number of minutes from 1 to 60, not {value:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sudo_mode_lasts_whole_minutes_up_to_an_hour() {
        assert_eq!(sudo_secs_from(None), Ok(15 * 60));
        assert_eq!(sudo_secs_from(Some(" 5 ")), Ok(300));
        for bad in ["0", "61", "x", "", "1.5"] {
            assert!(sudo_secs_from(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_idle_timeout_is_whole_minutes_within_the_lifetime() {
        assert_eq!(idle_secs_from(None), Ok(30 * 60));
        assert_eq!(idle_secs_from(Some("5")), Ok(300));
        assert_eq!(idle_secs_from(Some("720")), Ok(720 * 60));
        for bad in ["0", "-3", "721", "ten", "", "1.5"] {
            assert!(idle_secs_from(Some(bad)).is_err(), "{bad}");
        }
    }
}

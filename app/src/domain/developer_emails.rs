//! The optional developer contacts of a token: up to 10 addresses, no duplicates.

use super::email::{EmailAddress, EmailError};
use serde::{Deserialize, Serialize};

/// The most developer emails a token can have.
pub const MAX_DEVELOPER_EMAILS: usize = 10;

/// Changes an hour, per token, whose messages reach its developer emails (addresses outside
/// the account); the rest reach them in one later summary.
pub const DEVELOPER_MESSAGES_PER_HOUR: i64 = 3;

/// Why an address can't be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum DeveloperEmailError {
    /// Not an email address.
    #[error("{0}")]
    Invalid(EmailError),
    /// Already in the list (case does not matter).
    #[error("That address is already in the list.")]
    Duplicate,
    /// The list is full.
    #[error("You can add up to 10 developer emails.")]
    TooMany,
}

/// Checks `candidate` against the addresses already listed, as **Add** does.
pub fn check_new(
    existing: &[String],
    candidate: &str,
) -> Result<EmailAddress, DeveloperEmailError> {
    let email = EmailAddress::parse(candidate).map_err(DeveloperEmailError::Invalid)?;
    if existing
        .iter()
        .any(|e| e.eq_ignore_ascii_case(email.as_str()))
    {
        return Err(DeveloperEmailError::Duplicate);
    }
    if existing.len() >= MAX_DEVELOPER_EMAILS {
        return Err(DeveloperEmailError::TooMany);
    }
    Ok(email)
}

/// Validates a whole list: the first problem found, if any.
pub fn parse_all(list: &[String]) -> Result<Vec<EmailAddress>, DeveloperEmailError> {
    if list.len() > MAX_DEVELOPER_EMAILS {
        return Err(DeveloperEmailError::TooMany);
    }
    let mut accepted: Vec<String> = Vec::with_capacity(list.len());
    let mut emails = Vec::with_capacity(list.len());
    for candidate in list {
        let email = check_new(&accepted, candidate)?;
        accepted.push(email.as_str().to_string());
        emails.push(email);
    }
    Ok(emails)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn add_checks_shape_duplicates_and_room() {
        let existing = list(&["dev@acme.test"]);
        assert_eq!(
            check_new(&existing, "ops@acme.test").map(String::from),
            Ok("ops@acme.test".into())
        );
        assert_eq!(
            check_new(&existing, "DEV@acme.test"),
            Err(DeveloperEmailError::Duplicate)
        );
        assert_eq!(
            check_new(&existing, "nope"),
            Err(DeveloperEmailError::Invalid(EmailError::Invalid))
        );
        assert_eq!(
            check_new(&existing, " "),
            Err(DeveloperEmailError::Invalid(EmailError::Empty))
        );
        let full: Vec<String> = (0..10).map(|i| format!("d{i}@acme.test")).collect();
        assert_eq!(
            check_new(&full, "new@acme.test"),
            Err(DeveloperEmailError::TooMany)
        );
    }

    #[test]
    fn whole_lists() {
        assert_eq!(parse_all(&[]).map(|v| v.len()), Ok(0));
        assert_eq!(
            parse_all(&list(&["a@b.io", "c@d.io"])).map(|v| v.len()),
            Ok(2)
        );
        assert_eq!(
            parse_all(&list(&["a@b.io", "A@B.io"])),
            Err(DeveloperEmailError::Duplicate)
        );
        let eleven: Vec<String> = (0..11).map(|i| format!("d{i}@acme.test")).collect();
        assert_eq!(parse_all(&eleven), Err(DeveloperEmailError::TooMany));
    }
}

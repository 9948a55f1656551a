//! The one error type of every server function, and the HTTP status each variant means.
//!
//! Which variant to use:
//! - `BadRequest`: the request itself could not be read (malformed arguments).
//! - `Unauthorized`: nobody is signed in, or the session has ended.
//! - `Forbidden`: signed in, but the role does not allow this.
//! - `NotFound`: the thing does not exist *in the caller's account*.
//! - `Conflict`: the request is valid but clashes with the current state.
//! - `Validation`: fields break the domain rules (422), each error beside its field.
//! - `FieldConflict`: a field clashes with stored data, such as a taken name (409).
//! - `PasswordFields`: the **Change password** form's fields are wrong (422).
//! - `UserFields`: the **Add user** form's fields are wrong (422; a taken email 409).
//! - `Refused`: valid, but a rule of the account refuses it (422), such as demoting the
//!   last Account Administrator.
//! - `TooManyRequests`: refused for a while after too many failures (429).
//! - `ConfirmAccess`: a sensitive action whose session proved its user too long ago: the
//!   user confirms with a password or code first (403, sudo mode).
//! - `Internal`: a fault on our side; the details go to the log, never to the browser.

use crate::domain::wizard::FieldError;
use serde::{Deserialize, Serialize};
use server_fn_error::{FromServerFnError, ServerFnErrorErr};

mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

/// What went wrong, in words fit to show the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The request could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// Not signed in.
    #[error("Please sign in to continue.")]
    Unauthorized,
    /// The role does not allow this.
    #[error("You don't have access to this page.")]
    Forbidden,
    /// The role allows this kind of thing, but not this one (403), with the reason.
    #[error("{0}")]
    NotAllowed(String),
    /// Nothing of that kind in this account.
    #[error("That doesn't exist or was removed.")]
    NotFound,
    /// Clashes with the current state.
    #[error("{0}")]
    Conflict(String),
    /// Fields that break the rules.
    #[error("Please correct the highlighted fields.")]
    Validation(Vec<FieldError>),
    /// Fields that clash with what is stored.
    #[error("Please correct the highlighted fields.")]
    FieldConflict(Vec<FieldError>),
    /// The **Change password** form's problems, each beside its field.
    #[error("Please correct the highlighted fields.")]
    PasswordFields(Vec<crate::domain::PasswordFieldError>),
    /// The **Add user** form's problems, each beside its field (409 for a taken email).
    #[error("Please correct the highlighted fields.")]
    UserFields(Vec<crate::domain::user_admin::UserFieldError>),
    /// A valid request the account's rules refuse (422), with the reason.
    #[error("{0}")]
    Refused(String),
    /// Too many failures: the message says when to try again.
    #[error("{0}")]
    TooManyRequests(String),
    /// A sensitive action, and the session last proved who its user is too long ago
    /// (sudo mode): confirm with a password or code first (403).
    #[error("Confirm it's you to continue: for your security, this asks for your password or a code again once 15 minutes (unless configured otherwise) have passed since you last gave one.")]
    ConfirmAccess,
    /// A fault on our side.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// The field errors it carries, if any.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation(errors) | AppError::FieldConflict(errors) => errors,
            _ => &[],
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ConfirmAccess | AppError::NotAllowed(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) | AppError::FieldConflict(_) => StatusCode::CONFLICT,
            AppError::UserFields(errors)
                if errors
                    .iter()
                    .any(|e| e.problem == crate::domain::user_admin::UserProblem::EmailTaken) =>
            {
                StatusCode::CONFLICT
            }
            AppError::Validation(_)
            | AppError::PasswordFields(_)
            | AppError::UserFields(_)
            | AppError::Refused(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// What a call that never reached the server says.
pub const UNREACHABLE: &str = "The server could not be reached. Please try again.";

impl AppError {
    /// The errors the wire names without words of their own (`"Unauthorized"`).
    const UNNAMED: [AppError; 5] = [
        AppError::Unauthorized,
        AppError::Forbidden,
        AppError::NotFound,
        AppError::ConfirmAccess,
        AppError::Internal,
    ];

    /// The words for each error the wire names without them, and for a call that never
    /// reached the server (`Unreachable`), as a JSON object: `/enhance.js` shows them when a
    /// plain form it saves in place is refused (`data-problems`). Built once per process.
    pub fn words_by_name() -> &'static str {
        static WORDS: std::sync::LazyLock<String> = std::sync::LazyLock::new(AppError::words);
        &WORDS
    }

    fn words() -> String {
        let mut words = serde_json::Map::new();
        for error in Self::UNNAMED {
            if let Ok(serde_json::Value::String(name)) = serde_json::to_value(&error) {
                words.insert(name, error.to_string().into());
            }
        }
        words.insert("Unreachable".into(), UNREACHABLE.into());
        serde_json::Value::Object(words).to_string()
    }
}

impl FromServerFnError for AppError {
    type Encoder = server_fn_error::JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_) => {
                AppError::BadRequest("The request could not be read.".to_string())
            }
            ServerFnErrorErr::Request(_) => AppError::BadRequest(UNREACHABLE.into()),
            ServerFnErrorErr::Registration(_) | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                AppError::NotFound
            }
            _ => AppError::Internal,
        };
        // When this runs on the server it is answering a request that never reached the
        // function body, so the status must be set here or the client sees a 500.
        #[cfg(feature = "ssr")]
        crate::ssr::status::set(error.status());
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_has_its_status() {
        let table = [
            (AppError::BadRequest("x".into()), 400),
            (AppError::Unauthorized, 401),
            (AppError::Forbidden, 403),
            (AppError::NotAllowed("x".into()), 403),
            (AppError::NotFound, 404),
            (AppError::Conflict("x".into()), 409),
            (AppError::Validation(vec![]), 422),
            (AppError::FieldConflict(vec![]), 409),
            (AppError::PasswordFields(vec![]), 422),
            (AppError::UserFields(vec![]), 422),
            (AppError::Refused("x".into()), 422),
            (AppError::TooManyRequests("x".into()), 429),
            (AppError::Internal, 500),
        ];
        for (error, status) in table {
            assert_eq!(error.status().as_u16(), status, "{error:?}");
        }
    }

    #[test]
    fn every_error_named_without_words_has_them_for_the_browser() {
        let words: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(AppError::words_by_name()).unwrap();
        let every = [
            AppError::BadRequest("x".into()),
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::NotAllowed("x".into()),
            AppError::NotFound,
            AppError::Conflict("x".into()),
            AppError::Validation(vec![]),
            AppError::FieldConflict(vec![]),
            AppError::PasswordFields(vec![]),
            AppError::UserFields(vec![]),
            AppError::Refused("x".into()),
            AppError::TooManyRequests("x".into()),
            AppError::ConfirmAccess,
            AppError::Internal,
        ];
        let mut named = 0;
        for error in every {
            if let serde_json::Value::String(name) = serde_json::to_value(&error).unwrap() {
                assert_eq!(words[&name], error.to_string(), "{name}");
                named += 1;
            }
        }
        assert_eq!(named, AppError::UNNAMED.len());
        assert_eq!(words["Unreachable"], UNREACHABLE);
        assert_eq!(words["Unauthorized"], "Please sign in to continue.");
    }

    #[test]
    fn argument_errors_are_the_callers_fault() {
        let error = AppError::from_server_fn_error(ServerFnErrorErr::Args("bad".into()));
        assert_eq!(error.status().as_u16(), 400);
        assert!(!error.to_string().contains("bad"));
    }
}

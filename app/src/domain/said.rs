//! A field's problem crosses the wire as the sentence the user reads, not as its variant.
//!
//! The server words every problem (it found it, in the user's terms); the browser shows that
//! sentence beside its field. Carrying the words instead of the variant keeps each problem's
//! decoder out of the wasm every island loads (the derived ones were 40 KB of code).

use serde::{Deserialize, Deserializer, Serializer};
use std::fmt::Display;

/// A problem the browser received: the server's words for it.
pub trait Said: Display + Sized {
    /// The problem, as received.
    fn said(message: String) -> Self;
}

/// Writes the problem's sentence.
pub fn serialize<S: Serializer, P: Said>(problem: &P, out: S) -> Result<S::Ok, S::Error> {
    out.collect_str(problem)
}

/// Reads a sentence as a problem the server worded.
pub fn deserialize<'de, D: Deserializer<'de>, P: Said>(input: D) -> Result<P, D::Error> {
    String::deserialize(input).map(P::said)
}

#[cfg(test)]
mod tests {
    use crate::domain::wizard::{Field, FieldError, Problem};

    #[test]
    fn a_problem_travels_as_its_sentence_and_reads_the_same() {
        let error = FieldError {
            field: Field::TokenName,
            problem: Problem::NameTaken,
        };
        let wire = serde_json::to_string(&error).unwrap();
        assert_eq!(
            wire,
            r#"{"field":"TokenName","problem":"A token with this name already exists. Choose another name."}"#
        );
        let read: FieldError = serde_json::from_str(&wire).unwrap();
        assert_eq!(read.field, Field::TokenName);
        assert_eq!(read.problem.to_string(), error.problem.to_string());
    }

    #[test]
    fn a_problem_that_is_not_a_sentence_is_refused() {
        assert!(
            serde_json::from_str::<FieldError>(r#"{"field":"TokenName","problem":3}"#).is_err()
        );
    }
}

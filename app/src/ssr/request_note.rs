//! What a request's access log line says about who it was for: the signed-in user's id,
//! the Token SID it used. The server's request middleware puts an empty note in the
//! request's extensions and logs it once the answer is ready; whoever learns the user or
//! the SID (a server function, a page, the sandbox) writes it in, from any task.

use std::sync::{Arc, OnceLock};

/// Shared by every clone; each field is written once (the first write wins).
#[derive(Clone, Debug, Default)]
pub struct RequestNote(Arc<Fields>);

#[derive(Debug, Default)]
struct Fields {
    user_id: OnceLock<i64>,
    sid: OnceLock<String>,
}

impl RequestNote {
    /// Notes the signed-in user.
    pub fn user(&self, user_id: i64) {
        let _ = self.0.user_id.set(user_id);
    }

    /// Notes the Token SID the request used (never its secret).
    pub fn sid(&self, sid: &str) {
        let _ = self.0.sid.get_or_init(|| sid.to_string());
    }

    /// The user noted, if any.
    pub fn user_id(&self) -> Option<i64> {
        self.0.user_id.get().copied()
    }

    /// The Token SID noted, if any.
    pub fn token_sid(&self) -> Option<&str> {
        self.0.sid.get().map(String::as_str)
    }
}

/// The note of the request a server function or page is answering, if it has one.
pub fn note_for(parts: &http::request::Parts) -> Option<&RequestNote> {
    parts.extensions.get::<RequestNote>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_note_and_the_first_write_wins() {
        let note = RequestNote::default();
        let clone = note.clone();
        assert_eq!((note.user_id(), note.token_sid()), (None, None));
        clone.user(7);
        clone.sid("TK0123");
        note.user(8);
        note.sid("TK9999");
        assert_eq!(
            (note.user_id(), note.token_sid()),
            (Some(7), Some("TK0123"))
        );
    }
}

//! What a token request's requester and the account's administrators are told when it is
//! made, decided, withdrawn or left unclaimed. Never a secret, and never a reason's words
//! (free text anyone could send through this server): the request's page shows those.

use crate::domain::audit::AuditAction;
use crate::domain::notice::{self, Notice};
use crate::domain::token_request::CLAIM_DAYS;

/// What happened to a request.
pub struct RequestEvent<'a> {
    /// The request's number.
    pub id: i64,
    /// The token it asks for.
    pub token_name: &'a str,
    /// Who asked.
    pub requester: &'a str,
    /// Who acted (the requester for a request or a withdrawal).
    pub actor: &'a str,
    /// [`AuditAction::RequestCreated`] and the other request actions.
    pub action: AuditAction,
}

/// One message to each of `recipients` (each address once, whatever its case).
pub fn request(
    about: RequestEvent<'_>,
    recipients: impl IntoIterator<Item = String>,
) -> Vec<Notice> {
    let RequestEvent {
        id,
        token_name,
        requester,
        actor,
        action,
    } = about;
    let what = match action {
        AuditAction::RequestCreated => format!(
            "{requester} requested an API access token “{token_name}”. An Account \
             Administrator can approve it (narrowing its scopes, expiration or limits) or deny it."
        ),
        AuditAction::RequestApproved => format!(
            "{actor} approved {requester}'s request for the token “{token_name}”. The token \
             exists; {requester} sees its secret once, the next time they open the request, \
             within {CLAIM_DAYS} days (after that the token is disabled)."
        ),
        AuditAction::RequestDenied => format!(
            "{actor} denied {requester}'s request for the token “{token_name}”. The reason is on \
             the request's page."
        ),
        AuditAction::RequestWithdrawn => {
            format!("{requester} withdrew their request for the token “{token_name}”.")
        }
        _ => format!(
            "{requester} didn't open their approved request for the token “{token_name}” within \
             {CLAIM_DAYS} days: the token is disabled and its secret was never shown."
        ),
    };
    let body = format!(
        "{what}\n\nSee the request in the console: Settings → Technical → API → Requests \
         (/settings/api/requests/{id}).\n"
    );
    let subject = format!("Tokensmith: {} (“{token_name}”)", action.notice());
    notice::to_each(recipients, &subject, &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_tells_each_address_once_and_never_a_reason() {
        let about = RequestEvent {
            id: 7,
            token_name: "Agency feed",
            requester: "Ivy",
            actor: "Ada",
            action: AuditAction::RequestDenied,
        };
        let sent = request(
            about,
            ["ada@example.com".to_string(), "ADA@example.com".to_string()],
        );
        assert_eq!(sent.len(), 1);
        assert_eq!(
            sent[0].subject,
            "Tokensmith: token request denied (“Agency feed”)"
        );
        assert!(sent[0].body.contains("Ada denied Ivy's request"));
        assert!(sent[0].body.contains("/settings/api/requests/7"));
    }
}

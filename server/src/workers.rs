//! Background jobs: the mail worker, the expiry warnings and the pruning of expired sessions.

pub mod expired_sessions;
pub mod expiry_warnings;
pub mod mailer;

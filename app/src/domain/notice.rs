//! A message for one of a token's contacts, before it is queued.

/// A message for one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Recipient address.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
}

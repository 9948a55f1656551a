//! New token credentials from the operating system's CSPRNG, and the hash that is stored.

use super::random_base62;
use crate::domain::{TokenSecret, TokenSid};
use crate::error::AppError;
use sha2::{Digest, Sha256};

/// A fresh SID and secret.
pub struct NewCredentials {
    /// Public identifier.
    pub sid: TokenSid,
    /// The secret, shown once.
    pub secret: TokenSecret,
}

/// Draws a new SID and secret.
pub fn generate() -> Result<NewCredentials, AppError> {
    let sid = TokenSid::parse(&format!(
        "{}{}",
        TokenSid::PREFIX,
        random_base62(TokenSid::BODY_LEN)
    ));
    let secret = TokenSecret::from_random(&random_base62(TokenSecret::RANDOM_LEN));
    match (sid, secret) {
        (Ok(sid), Ok(secret)) => Ok(NewCredentials { sid, secret }),
        _ => {
            tracing::error!("generated credentials failed their own format check");
            Err(AppError::Internal)
        }
    }
}

/// What the database keys a secret by.
pub fn hash_secret(secret: &TokenSecret) -> [u8; 32] {
    Sha256::digest(secret.expose().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_credentials_are_well_formed_and_distinct() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert!(TokenSecret::parse(a.secret.expose()).is_ok());
        assert_ne!(a.sid, b.sid);
        assert_ne!(a.secret.expose(), b.secret.expose());
        assert_ne!(hash_secret(&a.secret), hash_secret(&b.secret));
    }
}

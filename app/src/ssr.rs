//! Server-only parts: state, database repositories, passwords and sessions.

pub mod auth;
pub mod db;
pub mod headers;
pub mod password;
pub mod response;
pub mod state;

/// Seconds since the Unix epoch, the unit of every timestamp in the database.
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// `len` characters from [A-Za-z0-9], drawn from the operating system's CSPRNG.
pub fn random_base62(len: usize) -> String {
    use rand::distributions::Alphanumeric;
    use rand::Rng;
    rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

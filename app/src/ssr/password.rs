//! Argon2id password hashes.

use super::sign_in_guard::HashSlot;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::{mpsc, Arc, Mutex, OnceLock};

/// Hashes `password` with a fresh salt, in PHC string form.
pub fn hash(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| {
            tracing::error!(%error, "hashing a password failed");
            AppError::Internal
        })
}

/// Whether `password` matches the PHC string `stored`. A malformed stored hash never matches.
///
/// The hash's memory (19 MiB with the default parameters) is the calling thread's, kept
/// for its next hash: allocated afresh each time, the allocator keeps the freed blocks
/// between small allocations and a flood of sign-ins grows the process by a gigabyte.
pub fn verify(password: &str, stored: &str) -> bool {
    thread_local! {
        static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return false;
    };
    let algorithm = Algorithm::try_from(parsed.algorithm).unwrap_or_default();
    let version = parsed
        .version
        .map_or(Ok(Version::default()), Version::try_from)
        .unwrap_or_default();
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    let hashed = MEMORY.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() < blocks {
            memory.resize(blocks, Block::default());
        }
        argon2.hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            &mut out,
            &mut memory[..blocks],
        )
    });
    // `Output` compares in constant time.
    hashed.is_ok() && Output::new(&out).is_ok_and(|out| out == expected)
}

/// [`verify`] on one of a few threads kept for hashing (one per core): hashes never wait
/// behind, or hold up, the blocking pool that serves files, and their memory stays one
/// buffer per thread.
pub async fn verify_on_hashers(
    password: String,
    stored: String,
    slot: HashSlot,
) -> Result<bool, AppError> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    hashers()
        .send(Box::new(move || {
            let _ = reply.send(verify(&password, &stored));
            drop(slot);
        }))
        .map_err(|_| AppError::Internal)?;
    answer.await.map_err(|_| AppError::Internal)
}

/// [`hash`] on the hashing threads.
pub async fn hash_on_hashers(password: String, slot: HashSlot) -> Result<String, AppError> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    hashers()
        .send(Box::new(move || {
            let _ = reply.send(hash(&password));
            drop(slot);
        }))
        .map_err(|_| AppError::Internal)?;
    answer.await.map_err(|_| AppError::Internal)?
}

/// [`verify_against_nothing`] on the hashing threads.
pub async fn verify_against_nothing_on_hashers(
    password: String,
    slot: HashSlot,
) -> Result<(), AppError> {
    let (reply, answer) = tokio::sync::oneshot::channel();
    hashers()
        .send(Box::new(move || {
            verify_against_nothing(&password);
            let _ = reply.send(());
            drop(slot);
        }))
        .map_err(|_| AppError::Internal)?;
    answer.await.map_err(|_| AppError::Internal)
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads' queue, started on first use.
fn hashers() -> &'static mpsc::Sender<Job> {
    static QUEUE: OnceLock<mpsc::Sender<Job>> = OnceLock::new();
    QUEUE.get_or_init(|| {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        for i in 0..threads {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("hasher-{i}"))
                .spawn(move || loop {
                    let job = match receiver.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a hashing thread");
            }
        }
        sender
    })
}

/// Spends the same time as [`verify`] when there is no user to check against, so that
/// response times do not tell which emails have accounts.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(dummy) = DUMMY.get_or_init(|| hash("not a real password").ok()) {
        let _ = verify(password, dummy);
    }
}

/// A fresh temporary password (for **Add user** and **Reset password**) and its hash,
/// hashed on the password workers like any other. Every worker busy: 429 with a reason.
pub async fn temporary(state: &super::state::AppState) -> Result<(String, String), AppError> {
    let slot = state.sign_in.hash_slot().await.map_err(|_| {
        AppError::TooManyRequests("The server is busy. Try again in a moment.".to_string())
    })?;
    let password = super::random_base62(TEMPORARY_LEN);
    let hash = hash_on_hashers(password.clone(), slot).await?;
    Ok((password, hash))
}

/// How many characters a temporary password has (about 119 bits).
pub const TEMPORARY_LEN: usize = 20;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let stored = hash("correct horse battery").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", &stored));
        assert!(!verify("correct horse batterY", &stored));
        assert!(!verify("correct horse battery", "not a hash"));
    }
}

//! Passkey ceremonies, as JSON for `/passkey.js`: `POST /login/passkeys/options` starts one (a
//! challenge for the browser's `navigator.credentials`), `POST /login/passkeys/answer` finishes
//! it. What a ceremony is for (adding a passkey, signing in with one alone, the second step
//! after a password, **Confirm access**) is chosen at the start and kept with its challenge
//! on the server: an answer can't change it. Both live under `/login`, where the cookie of a
//! sign-in waiting for its second step is sent.

mod answer;
mod options;
mod replies;

pub use answer::answer;
pub use options::options;

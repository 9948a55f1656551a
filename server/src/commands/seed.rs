//! `seed-demo`: the demo account and its users.

use super::users::{create_account, create_user, generate_password, hash_blocking, CommandError};
use app::domain::{AccountSid, EmailAddress, NewPassword, Role};
use app::ssr::db::Db;
use app::ssr::db::{accounts, users};

/// The demo account's name.
pub const DEMO_ACCOUNT: &str = "Acme Outdoor";

/// The demo users: email, name, role.
pub const DEMO_USERS: [(&str, &str, Role); 4] = [
    ("admin@acme.test", "Alex Morgan", Role::AccountAdmin),
    (
        "specialist@acme.test",
        "Sam Rivera",
        Role::ImplementationSpecialist,
    ),
    ("analyst@acme.test", "Jordan Lee", Role::Analyst),
    ("finance@acme.test", "Casey Kim", Role::Finance),
];

/// What `seed-demo` did for one user.
#[derive(Debug)]
pub struct SeededUser {
    /// Sign-in email.
    pub email: &'static str,
    pub role: Role,
    /// The password set now, if one was (`None`: the user existed and was left alone).
    pub password: Option<String>,
}

/// Creates the demo account and users where missing. With `demo_password`, every demo
/// user's password is set to it (new or not); without, new users get random passwords.
pub async fn seed_demo(
    pool: &Db,
    demo_password: Option<&str>,
) -> Result<(AccountSid, Vec<SeededUser>), CommandError> {
    let sid = match accounts::find_by_name(pool, DEMO_ACCOUNT).await? {
        Some(account) => {
            AccountSid::parse(&account.sid).map_err(|e| CommandError(e.to_string()))?
        }
        None => create_account(pool, DEMO_ACCOUNT).await?,
    };
    let mut seeded = Vec::new();
    for (email, name, role) in DEMO_USERS {
        let address = EmailAddress::parse(email).map_err(|e| CommandError(e.to_string()))?;
        let existing = users::find_by_email(pool, &address).await?;
        let password = match (existing, demo_password) {
            (Some(user), Some(chosen)) => {
                let new_password = NewPassword::parse(chosen)
                    .map_err(|e| CommandError(format!("TOKENSMITH_DEMO_PASSWORD: {e}")))?;
                let hash = hash_blocking(new_password).await?;
                users::set_password(pool, user.id, &hash).await?;
                Some(chosen.to_string())
            }
            (Some(_), None) => None,
            (None, chosen) => {
                let chosen = chosen.map(str::to_string).unwrap_or_else(generate_password);
                create_user(pool, sid.as_str(), email, name, role, &chosen).await?;
                Some(chosen)
            }
        };
        seeded.push(SeededUser {
            email,
            role,
            password,
        });
    }
    Ok((sid, seeded))
}

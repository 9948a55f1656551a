//! The operators' user commands: create accounts and users, change a user (reset their
//! password, disable, enable) under the console's rules.

use app::domain::{AccountName, AccountSid, EmailAddress, NewPassword, PersonName, Role};
use app::error::AppError;
use app::ssr::db::Db;
use app::ssr::db::{accounts, users};
use app::ssr::{now, password, random_base62};

/// Why an operator command failed, in words for the terminal.
#[derive(Debug)]
pub struct CommandError(pub String);

impl std::error::Error for CommandError {}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<CommandError> for String {
    fn from(error: CommandError) -> Self {
        error.0
    }
}

impl From<AppError> for CommandError {
    fn from(error: AppError) -> Self {
        CommandError(error.to_string())
    }
}

/// Creates an account and returns its SID.
pub async fn create_account(pool: &Db, name: &str) -> Result<AccountSid, CommandError> {
    let name = AccountName::parse(name).map_err(|e| CommandError(format!("account name: {e}")))?;
    let sid = AccountSid::parse(&format!(
        "{}{}",
        AccountSid::PREFIX,
        random_base62(AccountSid::BODY_LEN)
    ))
    .map_err(|e| CommandError(e.to_string()))?;
    accounts::create(pool, &sid, &name, now()).await?;
    Ok(sid)
}

/// Adds a user to the account with SID `account`.
pub async fn create_user(
    pool: &Db,
    account: &str,
    email: &str,
    name: &str,
    role: Role,
    password_text: &str,
) -> Result<i64, CommandError> {
    let account = accounts::find_by_sid(pool, account)
        .await?
        .ok_or_else(|| CommandError(format!("no account with SID {account}")))?;
    let email = EmailAddress::parse(email).map_err(|e| CommandError(format!("email: {e}")))?;
    let name = PersonName::parse(name).map_err(|e| CommandError(format!("name: {e}")))?;
    let new_password =
        NewPassword::parse(password_text).map_err(|e| CommandError(format!("password: {e}")))?;
    let hash = hash_blocking(new_password).await?;
    Ok(users::create(pool, account.id, &email, &name, role, &hash, now()).await?)
}

pub(super) async fn hash_blocking(new_password: NewPassword) -> Result<String, CommandError> {
    tokio::task::spawn_blocking(move || password::hash(new_password.expose()))
        .await
        .map_err(|_| CommandError("hashing was interrupted".into()))?
        .map_err(CommandError::from)
}

/// What an operator's command does to a user: the same change an administrator makes
/// in the console, under the same rules (the last active Account Administrator stays
/// one), audited with no user as the actor. For **Reset password**, `password_text` is the
/// temporary password.
pub async fn change_user(
    pool: &Db,
    email: &str,
    change: app::domain::user_admin::UserChange,
    password_text: Option<&str>,
) -> Result<(), CommandError> {
    use app::ssr::db::user_admin;
    let address = EmailAddress::parse(email).map_err(|e| CommandError(format!("email: {e}")))?;
    let user = users::find_by_email(pool, &address)
        .await?
        .ok_or_else(|| CommandError(format!("no user signs in with {address}")))?;
    let hash = match password_text {
        Some(text) => {
            let new_password =
                NewPassword::parse(text).map_err(|e| CommandError(format!("password: {e}")))?;
            Some(hash_blocking(new_password).await?)
        }
        None => None,
    };
    user_admin::change(
        pool,
        user.account_id,
        None,
        user.id,
        change,
        hash.as_deref(),
        now(),
    )
    .await?;
    Ok(())
}

/// A fresh password for a user nobody chose one for.
pub fn generate_password() -> String {
    random_base62(20)
}

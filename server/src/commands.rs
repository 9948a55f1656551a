//! The command line and what each command does: `serve` hands over to [`crate::startup`],
//! the others administer the database and print what they did.

pub mod backup;
pub mod cli;
pub mod seed;
pub mod users;

use crate::config::{self, Config};
use crate::startup;
use crate::workers::mailer::redact_url;
use app::domain::user_admin::UserChange;
use app::ssr::db::Db;
use cli::Command;

/// Runs `command` with the configuration from the environment.
pub async fn run(command: Command) -> Result<(), String> {
    let config = Config::from_env()?;
    let url = config.database_url.clone();
    match command {
        Command::Help => Ok(()),
        // These two work on the file, without opening (or migrating) the database as a pool.
        Command::Backup { to } => {
            let summary = backup::backup(&url, &to).await?;
            println!("backed up to {}: {summary}", to.display());
            Ok(())
        }
        Command::Restore { from } => {
            let summary = backup::restore(&url, &from, Db::shipped_sqlite_migration()).await?;
            let (from, url) = (from.display(), redact_url(&url));
            println!("restored {from} into {url}: {summary}; the next start migrates it if needed");
            Ok(())
        }
        Command::Serve => {
            let _serving = backup::hold_for_serving(&url)?;
            let pool = startup::open_database(&url).await?;
            startup::serve(config, pool).await
        }
        other => {
            let pool = startup::open_database(&url).await?;
            administer(other, &pool, &url).await
        }
    }
}

/// The commands that change or report on an open database.
async fn administer(command: Command, pool: &Db, url: &str) -> Result<(), String> {
    match command {
        Command::Migrate => println!("database at {} is up to date", redact_url(url)),
        Command::CreateAccount { name } => {
            let sid = users::create_account(pool, &name).await?;
            println!("created account {name:?} with SID {sid}");
        }
        Command::CreateUser {
            account,
            email,
            name,
            role,
        } => {
            let (password, generated) = password();
            users::create_user(pool, &account, &email, &name, role, &password).await?;
            println!("created {} {email}", role.label());
            if generated {
                println!("password (shown once): {password}");
            }
        }
        Command::ResetPassword { email } => {
            let (password, generated) = password();
            let reset = UserChange::ResetPassword;
            users::change_user(pool, &email, reset, Some(&password)).await?;
            if generated {
                println!("temporary password for {email}: {password}");
            } else {
                println!("temporary password for {email} set from TOKENSMITH_PASSWORD");
            }
            println!("they must choose their own when they next sign in; their sessions ended");
        }
        Command::DisableUser { email } => {
            users::change_user(pool, &email, UserChange::Disable, None).await?;
            println!("disabled {email}: their sessions ended and sign-in is refused");
        }
        Command::EnableUser { email } => {
            users::change_user(pool, &email, UserChange::Enable, None).await?;
            println!("enabled {email}: they can sign in again");
        }
        Command::SeedDemo => seed_demo(pool).await?,
        Command::Help | Command::Serve | Command::Backup { .. } | Command::Restore { .. } => {}
    }
    Ok(())
}

/// `TOKENSMITH_PASSWORD`, or a generated password (and whether it was generated).
fn password() -> (String, bool) {
    match config::operator_password() {
        Some(password) => (password, false),
        None => (users::generate_password(), true),
    }
}

async fn seed_demo(pool: &Db) -> Result<(), String> {
    let (sid, users) = seed::seed_demo(pool, config::demo_password().as_deref()).await?;
    println!("demo account {:?} ({sid})", seed::DEMO_ACCOUNT);
    for user in users {
        let (email, role) = (user.email, user.role.label());
        match user.password {
            Some(password) => println!("  {email:<24} {role:<27} password: {password}"),
            None => println!(
                "  {email:<24} {role:<27} password unchanged (set TOKENSMITH_DEMO_PASSWORD to choose one)"
            ),
        }
    }
    Ok(())
}

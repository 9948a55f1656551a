//! The operator commands: `serve` (default), `migrate`, `create-account`, `create-user`,
//! `reset-password`, `disable-user`, `enable-user`, `seed-demo`, `backup`, `restore`.

use app::domain::Role;
use std::collections::HashMap;

/// Usage text for `tokensmith help` and argument errors.
pub const USAGE: &str = "\
usage: tokensmith [command]

commands:
  serve                     serve the site (the default)
  migrate                   create or update the database, then exit
  create-account --name NAME
                            create a brand account and print its SID
  create-user --account SID --email EMAIL --name NAME --role ROLE
                            add a user; the password is read from TOKENSMITH_PASSWORD,
                            or generated and printed once
                            roles: account_admin, implementation_specialist, analyst, finance
  reset-password --email EMAIL
                            give a user a temporary password (from TOKENSMITH_PASSWORD, or
                            generated and printed once), to be changed at their next sign-in;
                            their sessions end
  disable-user --email EMAIL
                            end a user's sessions and refuse their sign-ins (not the account's
                            last active Account Administrator)
  enable-user --email EMAIL let a disabled user sign in again
  backup PATH               copy the running SQLite database to the new file PATH (a
                            consistent snapshot while servers write), checked by
                            integrity_check; for PostgreSQL use pg_dump
  restore PATH              replace the SQLite database with the backup PATH, after checking
                            it; refused while any server uses the database
  seed-demo                 create the demo account \"Acme Outdoor\" with one user per role
                            (passwords from TOKENSMITH_DEMO_PASSWORD, else generated and printed)
  help                      show this text

environment: DATABASE_URL (default sqlite://data/tokensmith.db), LEPTOS_SITE_ADDR
(default 127.0.0.1:3000), LEPTOS_SITE_ROOT (default target/site), TOKENSMITH_SECURE_COOKIES";

/// A parsed command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Serve the site.
    Serve,
    /// Migrate and exit.
    Migrate,
    /// Create an account.
    CreateAccount { name: String },
    /// Create a user.
    CreateUser {
        /// The account's SID.
        account: String,
        /// Sign-in email.
        email: String,
        /// Display name.
        name: String,
        role: Role,
    },
    /// A user's password reset to a temporary one.
    ResetPassword {
        /// Their sign-in email.
        email: String,
    },
    /// A user disabled.
    DisableUser {
        /// Their sign-in email.
        email: String,
    },
    /// A disabled user enabled again.
    EnableUser {
        /// Their sign-in email.
        email: String,
    },
    /// Copy the SQLite database to a new file.
    Backup {
        /// The new file.
        to: std::path::PathBuf,
    },
    /// Replace the SQLite database with a backup.
    Restore {
        /// The backup.
        from: std::path::PathBuf,
    },
    /// Seed the demo account.
    SeedDemo,
    /// Print usage.
    Help,
}

/// Parses the arguments after the program name.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some((command, rest)) = args.split_first() else {
        return Ok(Command::Serve);
    };
    if let "backup" | "restore" = command.as_str() {
        return file_command(command, rest);
    }
    let flags = flags(rest)?;
    let take = |name: &str| {
        flags
            .get(name)
            .cloned()
            .ok_or_else(|| format!("{command} needs --{name}"))
    };
    let command = match command.as_str() {
        "serve" => Command::Serve,
        "migrate" => Command::Migrate,
        "create-account" => Command::CreateAccount {
            name: take("name")?,
        },
        "create-user" => Command::CreateUser {
            account: take("account")?,
            email: take("email")?,
            name: take("name")?,
            role: take("role")?
                .parse()
                .map_err(|e: app::domain::UnknownRole| e.to_string())?,
        },
        "reset-password" => Command::ResetPassword {
            email: take("email")?,
        },
        "disable-user" => Command::DisableUser {
            email: take("email")?,
        },
        "enable-user" => Command::EnableUser {
            email: take("email")?,
        },
        "seed-demo" => Command::SeedDemo,
        "help" | "--help" | "-h" => Command::Help,
        other => return Err(format!("unknown command {other:?}")),
    };
    if let Some(extra) = flags
        .keys()
        .find(|key| !allowed(&command).contains(&key.as_str()))
    {
        return Err(format!("unexpected option --{extra}"));
    }
    Ok(command)
}

/// `backup` or `restore` with its one argument, the file's path.
fn file_command(command: &str, rest: &[String]) -> Result<Command, String> {
    match rest {
        [path] if !path.starts_with("--") && !path.is_empty() => {
            let path = std::path::PathBuf::from(path);
            Ok(if command == "backup" {
                Command::Backup { to: path }
            } else {
                Command::Restore { from: path }
            })
        }
        _ => Err(format!("{command} needs one argument: the file's path")),
    }
}

/// The options `command` takes.
fn allowed(command: &Command) -> &'static [&'static str] {
    match command {
        Command::CreateAccount { .. } => &["name"],
        Command::CreateUser { .. } => &["account", "email", "name", "role"],
        Command::ResetPassword { .. }
        | Command::DisableUser { .. }
        | Command::EnableUser { .. } => &["email"],
        _ => &[],
    }
}

fn flags(rest: &[String]) -> Result<HashMap<String, String>, String> {
    let mut flags = HashMap::new();
    let mut iter = rest.iter();
    while let Some(arg) = iter.next() {
        let name = arg
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {arg:?}"))?;
        let value = iter
            .next()
            .ok_or_else(|| format!("--{name} needs a value"))?;
        flags.insert(name.to_string(), value.clone());
    }
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn serve_is_the_default() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(parse(&args(&["serve"])), Ok(Command::Serve));
    }

    #[test]
    fn create_user_needs_every_option_and_a_known_role() {
        let ok = parse(&args(&[
            "create-user",
            "--account",
            "AC1",
            "--email",
            "a@b.io",
            "--name",
            "A",
            "--role",
            "analyst",
        ]));
        assert!(matches!(
            ok,
            Ok(Command::CreateUser {
                role: Role::Analyst,
                ..
            })
        ));
        assert!(parse(&args(&["create-user", "--account", "AC1"])).is_err());
        let bad_role = parse(&args(&[
            "create-user",
            "--account",
            "AC1",
            "--email",
            "a@b.io",
            "--name",
            "A",
            "--role",
            "boss",
        ]));
        assert!(bad_role.unwrap_err().contains("unknown role"));
    }

    #[test]
    fn user_commands_need_an_email_and_nothing_else() {
        assert_eq!(
            parse(&args(&["disable-user", "--email", "a@b.io"])),
            Ok(Command::DisableUser {
                email: "a@b.io".into()
            })
        );
        assert!(parse(&args(&["reset-password"])).is_err());
        assert!(parse(&args(&["enable-user", "--email", "a@b.io", "--role", "x"])).is_err());
    }

    #[test]
    fn backup_and_restore_take_one_path() {
        assert_eq!(
            parse(&args(&["backup", "/var/backups/t.db"])),
            Ok(Command::Backup {
                to: "/var/backups/t.db".into()
            })
        );
        assert_eq!(
            parse(&args(&["restore", "t.db"])),
            Ok(Command::Restore {
                from: "t.db".into()
            })
        );
        assert!(parse(&args(&["backup"])).is_err());
        assert!(parse(&args(&["backup", "a", "b"])).is_err());
        assert!(parse(&args(&["restore", "--from", "a"])).is_err());
    }

    #[test]
    fn refuses_unknown_commands_and_options() {
        assert!(parse(&args(&["frobnicate"])).is_err());
        assert!(parse(&args(&["migrate", "--force", "yes"])).is_err());
        assert!(parse(&args(&["create-account", "--name"])).is_err());
    }
}

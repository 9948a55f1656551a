//! A real SMTP server for the mail tests: Python's aiosmtpd (`tests/smtp_sink.py`),
//! started per test, every message it accepts read back as JSON.

use serde_json::Value;
use server::workers::mailer::MailSettings;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The SMTP sink, stopped when dropped.
pub struct Sink {
    child: Child,
    port: u16,
    file: PathBuf,
    _dir: tempfile::TempDir,
}

impl Sink {
    pub fn start() -> Self {
        Self::taking(Duration::ZERO)
    }

    /// A sink that takes `delay` to accept each message.
    pub fn taking(delay: Duration) -> Self {
        Self::spawn(&[("SMTP_SINK_DELAY", &delay.as_secs_f64().to_string())])
    }

    /// A sink that speaks TLS (`"implicit"` or `"starttls"`, then required) with a
    /// certificate for `names` (subjectAltName entries) from a throwaway CA ([`Self::ca`]).
    pub fn tls(mode: &str, names: &str) -> Self {
        Self::spawn(&[("SMTP_SINK_TLS", mode), ("SMTP_SINK_NAMES", names)])
    }

    /// A sink that requires AUTH as `user_password` (`user:password`), over `mode` TLS
    /// (`""`: none offered), and records every attempt ([`Self::auth_attempts`]).
    pub fn authenticating(mode: &str, user_password: &str) -> Self {
        Self::spawn(&[
            ("SMTP_SINK_TLS", mode),
            ("SMTP_SINK_NAMES", "IP:127.0.0.1"),
            ("SMTP_SINK_AUTH", user_password),
        ])
    }

    /// Every AUTH the sink received: login, whether the password matched, and whether it
    /// came over TLS.
    pub fn auth_attempts(&self) -> Vec<Value> {
        std::fs::read_to_string(self.file.with_file_name("auth.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    fn spawn(env: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mail.jsonl");
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink.py");
        let mut child = Command::new("python3")
            .arg(script)
            .arg(&file)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs (scripts/test installs aiosmtpd)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("SMTP sink did not start (is aiosmtpd installed?): {line:?}"))
            .parse()
            .unwrap();
        Self {
            child,
            port,
            file,
            _dir: dir,
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The throwaway CA's certificate (PEM) of a [`Self::tls`] sink.
    pub fn ca(&self) -> Vec<u8> {
        std::fs::read(self.file.with_file_name("ca.pem")).unwrap()
    }

    pub fn settings(&self) -> MailSettings {
        MailSettings::parse(
            &format!("smtp://127.0.0.1:{}?tls=none", self.port),
            "Tokensmith <tokensmith@localhost>",
        )
        .unwrap()
    }

    pub fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    /// Each received message's `field`, in the order received.
    pub fn each(&self, field: &str) -> Vec<String> {
        self.received()
            .iter()
            .map(|m| match &m[field] {
                Value::Array(to) => to[0].as_str().unwrap().to_string(),
                value => value.as_str().unwrap().to_string(),
            })
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

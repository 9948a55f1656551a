//! Mail over TLS to a real TLS SMTP server (aiosmtpd with a throwaway CA made by
//! openssl): implicit TLS (`smtps://`), STARTTLS (required on `smtp://`), and the
//! certificates and servers that must be refused, with nothing sent in the clear.

use super::harness::{TestApp, ADMIN};
use super::smtp_sink::Sink;
use app::ssr::db::engine::query;
use app::ssr::now;
use server::workers::mailer::{MailSettings, Mailer, Pass};

/// Settings for `url`, trusting `sink`'s throwaway CA.
fn trusting(url: &str, sink: &Sink) -> MailSettings {
    MailSettings::parse(url, "Tokensmith <tokensmith@localhost>")
        .unwrap()
        .trusting(&sink.ca(), "the sink's ca.pem")
        .unwrap()
}

/// Queues the two messages a new token sends (to its creator and its contact), then
/// makes one delivery pass with `settings`; the pass and each message's last error.
async fn deliver_with(settings: &MailSettings) -> (Pass, Vec<String>) {
    let app = TestApp::with_mail().await;
    let cookie = app.sign_in(ADMIN).await;
    app.make_token(&cookie, "Feed sync").await;
    let pass = Mailer::new(settings)
        .deliver_due(&app.pool, now())
        .await
        .unwrap();
    let errors: Vec<Option<String>> = query("SELECT last_error FROM notifications ORDER BY id")
        .scalars(&app.pool)
        .await
        .unwrap();
    (pass, errors.into_iter().flatten().collect())
}

#[tokio::test]
async fn delivers_over_implicit_tls() {
    let sink = Sink::tls("implicit", "IP:127.0.0.1,DNS:localhost");
    let settings = trusting(&format!("smtps://127.0.0.1:{}", sink.port()), &sink);
    let (pass, errors) = deliver_with(&settings).await;
    assert_eq!((pass.sent, pass.failed), (2, 0), "{errors:?}");
    assert_eq!(sink.each("to"), ["admin@acme.test", "dev@partner.test"]);
}

#[tokio::test]
async fn delivers_over_starttls_by_name() {
    let sink = Sink::tls("starttls", "DNS:localhost");
    let settings = trusting(&format!("smtp://localhost:{}", sink.port()), &sink);
    let (pass, errors) = deliver_with(&settings).await;
    assert_eq!((pass.sent, pass.failed), (2, 0), "{errors:?}");
    assert_eq!(sink.received().len(), 2);
}

#[tokio::test]
async fn refuses_a_certificate_for_another_name() {
    let sink = Sink::tls("implicit", "DNS:mail.elsewhere.test");
    let settings = trusting(&format!("smtps://127.0.0.1:{}", sink.port()), &sink);
    let (pass, errors) = deliver_with(&settings).await;
    assert_eq!((pass.sent, pass.failed), (0, 2));
    assert!(sink.received().is_empty());
    assert!(
        errors[0].contains("certificate") && errors[0].contains("127.0.0.1"),
        "{errors:?}"
    );
}

#[tokio::test]
async fn refuses_a_certificate_from_an_unknown_authority() {
    let sink = Sink::tls("starttls", "IP:127.0.0.1");
    let url = format!("smtp://127.0.0.1:{}", sink.port());
    let settings = MailSettings::parse(&url, "tokensmith@localhost").unwrap();
    let (pass, errors) = deliver_with(&settings).await;
    assert_eq!((pass.sent, pass.failed), (0, 2));
    assert!(sink.received().is_empty());
    assert!(
        errors[0].contains("certificate") && errors[0].contains("TOKENSMITH_SMTP_CA_FILE"),
        "{errors:?}"
    );
}

#[tokio::test]
async fn requires_starttls_unless_told_not_to() {
    let sink = Sink::start();
    let url = format!("smtp://127.0.0.1:{}", sink.port());
    let required = MailSettings::parse(&url, "tokensmith@localhost").unwrap();
    let (pass, errors) = deliver_with(&required).await;
    assert_eq!((pass.sent, pass.failed), (0, 2));
    assert!(sink.received().is_empty(), "nothing went in the clear");
    assert!(
        errors[0].contains("STARTTLS") && errors[0].contains("?tls=none"),
        "{errors:?}"
    );

    let plain = MailSettings::parse(&format!("{url}?tls=none"), "tokensmith@localhost").unwrap();
    let (pass, _) = deliver_with(&plain).await;
    assert_eq!((pass.sent, pass.failed), (2, 0));
}

#[tokio::test]
async fn a_ca_file_must_hold_a_certificate() {
    let settings = MailSettings::parse("smtps://mail.acme.test", "a@acme.test").unwrap();
    let error = settings
        .trusting(
            b"-----BEGIN PRIVATE KEY-----\n",
            "TOKENSMITH_SMTP_CA_FILE=\"key.pem\"",
        )
        .unwrap_err();
    assert!(
        error.contains("key.pem\" holds no PEM certificate"),
        "{error}"
    );
}

/// The password goes only over TLS: to a server that offers no STARTTLS it is never sent
/// (nothing is), and it is in no log, error or outbox line; over STARTTLS it signs in.
#[tokio::test]
async fn the_smtp_password_goes_only_over_tls_and_is_never_logged() {
    let password = "smtp-secret-never-in-clear";
    let plain = Sink::authenticating("", &format!("bot:{password}"));
    let url = format!("smtp://bot:{password}@127.0.0.1:{}", plain.port());
    let settings = MailSettings::parse(&url, "tokensmith@localhost").unwrap();
    let app = TestApp::with_mail().await;
    app.note_secret(password);
    let cookie = app.sign_in(ADMIN).await;
    app.make_token(&cookie, "Feed sync").await;
    let pass = Mailer::new(&settings)
        .deliver_due(&app.pool, now())
        .await
        .unwrap();
    assert_eq!((pass.sent, pass.failed), (0, 2));
    assert_eq!(plain.auth_attempts(), [] as [serde_json::Value; 0]);
    assert!(plain.received().is_empty());
    let errors: Vec<Option<String>> = query("SELECT last_error FROM notifications")
        .scalars(&app.pool)
        .await
        .unwrap();
    assert_eq!(errors.len(), 2);
    assert!(
        errors
            .iter()
            .all(|e| e.as_deref().is_some_and(|e| e.contains("STARTTLS"))),
        "{errors:?}"
    );

    let tls = Sink::authenticating("starttls", &format!("bot:{password}"));
    let url = format!("smtp://bot:{password}@127.0.0.1:{}", tls.port());
    let settings = MailSettings::parse(&url, "tokensmith@localhost")
        .unwrap()
        .trusting(&tls.ca(), "the sink's ca.pem")
        .unwrap();
    let (pass, errors) = deliver_with(&settings).await;
    assert_eq!((pass.sent, pass.failed), (2, 0), "{errors:?}");
    let attempts = tls.auth_attempts();
    assert!(!attempts.is_empty());
    for attempt in attempts {
        assert_eq!(attempt["tls"], true, "{attempt}");
        assert_eq!(attempt["password_matched"], true, "{attempt}");
    }
    // Sent in the clear only where the operator said there is no TLS: a password there is
    // refused when the settings are read.
    let clear = format!("smtp://bot:{password}@127.0.0.1:{}?tls=none", plain.port());
    let refused = MailSettings::parse(&clear, "tokensmith@localhost").unwrap_err();
    assert!(refused.contains("never sent without TLS"), "{refused}");
    assert!(!refused.contains(password), "{refused}");
}

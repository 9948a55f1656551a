//! What an endpoint must be: an `https://` URL with a host (plain `http://` only where the
//! operator allows private addresses), a short description, and at least one event.

use super::WebhookEvent;

/// The longest URL, in bytes.
const URL_MAX: usize = 2000;
/// The longest description, in characters.
pub const DESCRIPTION_MAX: usize = 200;

/// An endpoint URL that passed [`check_url`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl {
    /// The URL as stored and shown.
    pub text: String,
    /// `https`; `false`: plain `http` (allowed with private addresses only).
    pub https: bool,
    /// The host name or address (an IPv6 address without its brackets).
    pub host: String,
    pub port: u16,
}

/// Checks an endpoint URL; `plain_http`: whether `http://` is allowed too.
pub fn check_url(text: &str, plain_http: bool) -> Result<EndpointUrl, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("Enter the endpoint's URL.".into());
    }
    if text.len() > URL_MAX {
        return Err(format!("Keep the URL to {URL_MAX} characters."));
    }
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("The URL can't contain spaces or control characters.".into());
    }
    let lower = text.to_ascii_lowercase();
    let (https, rest) = if lower.starts_with("https://") {
        (true, &text[8..])
    } else if lower.starts_with("http://") && plain_http {
        (false, &text[7..])
    } else {
        return Err("Use an https:// URL.".into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("Leave user names and passwords out of the URL.".into());
    }
    let (host, port) = host_and_port(authority).ok_or_else(|| {
        "Enter a URL with a valid host name, like https://hooks.example.com/tokensmith.".to_string()
    })?;
    Ok(EndpointUrl {
        text: text.to_string(),
        https,
        host,
        port: port.unwrap_or(if https { 443 } else { 80 }),
    })
}

/// The host and port of `authority`, if both are well formed.
fn host_and_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        let (address, after) = inner.split_once(']')?;
        address.parse::<std::net::Ipv6Addr>().ok()?;
        (address, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        Some(port) => Some(port.parse::<u16>().ok().filter(|p| *p > 0)?),
        None => None,
    };
    let name_ok = !host.is_empty()
        && host.len() <= 253
        && (host.contains(':')
            || host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            }));
    name_ok.then(|| (host.to_ascii_lowercase(), port))
}

/// Checks a description: at most [`DESCRIPTION_MAX`] characters, no control characters.
pub fn check_description(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.chars().count() > DESCRIPTION_MAX {
        return Err(format!(
            "Keep the description to {DESCRIPTION_MAX} characters."
        ));
    }
    if text.chars().any(char::is_control) {
        return Err("The description can't contain control characters.".into());
    }
    Ok(text.to_string())
}

/// The events named by `ids` (each once, in the catalogue's order); at least one, never
/// the test event (sent on request, to one endpoint).
pub fn check_events<S: AsRef<str>>(ids: &[S]) -> Result<Vec<WebhookEvent>, String> {
    let mut events = Vec::new();
    for id in ids {
        let id = id.as_ref().trim();
        match WebhookEvent::from_id(id).filter(|e| *e != WebhookEvent::Test) {
            Some(event) => events.push(event),
            None => return Err(format!("{id:?} is not an event an endpoint can ask for.")),
        }
    }
    events.sort();
    events.dedup();
    if events.is_empty() {
        return Err("Choose at least one event.".into());
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_https_url_gives_its_host_and_port() {
        let url = check_url(" https://Hooks.Example.com/in?x=1 ", false).unwrap();
        assert_eq!(url.text, "https://Hooks.Example.com/in?x=1");
        assert_eq!(
            (url.host.as_str(), url.port, url.https),
            ("hooks.example.com", 443, true)
        );
        let url = check_url("https://[2001:db8::1]:8443/", false).unwrap();
        assert_eq!((url.host.as_str(), url.port), ("2001:db8::1", 8443));
        let url = check_url("http://127.0.0.1:9000/hook", true).unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.https),
            ("127.0.0.1", 9000, false)
        );
    }

    #[test]
    fn other_urls_are_refused_with_a_reason() {
        for (url, reason) in [
            ("", "Enter the endpoint's URL."),
            ("http://hooks.example.com/", "Use an https:// URL."),
            ("ftp://hooks.example.com/", "Use an https:// URL."),
            ("hooks.example.com", "Use an https:// URL."),
            (
                "https://user:pw@hooks.example.com/",
                "Leave user names and passwords out of the URL.",
            ),
            (
                "https://hooks example.com/",
                "The URL can't contain spaces or control characters.",
            ),
        ] {
            assert_eq!(check_url(url, false).unwrap_err(), reason, "{url}");
        }
        for url in [
            "https://",
            "https:///x",
            "https://-a.com/",
            "https://a..b/",
            "https://a.com:0/",
            "https://a.com:99999/",
            "https://[zz]/",
            "https://a_b.com/",
        ] {
            assert!(
                check_url(url, false)
                    .unwrap_err()
                    .starts_with("Enter a URL with a valid host"),
                "{url}"
            );
        }
        assert!(check_url(&format!("https://a.com/{}", "x".repeat(2000)), false).is_err());
    }

    #[test]
    fn descriptions_and_events() {
        assert_eq!(check_description("  Ops pager ").unwrap(), "Ops pager");
        assert!(check_description(&"x".repeat(201)).is_err());
        assert!(check_description("a\u{7}b").is_err());
        assert_eq!(
            check_events(&["token.deleted", "token.created", "token.created"]).unwrap(),
            [WebhookEvent::TokenCreated, WebhookEvent::TokenDeleted]
        );
        assert_eq!(
            check_events::<&str>(&[]).unwrap_err(),
            "Choose at least one event."
        );
        assert!(check_events(&["test"]).is_err());
        assert!(check_events(&["token.renamed"]).is_err());
    }
}

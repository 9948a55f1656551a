//! The Content-Security-Policy of HTML pages and of every other response.

/// The policy for a page whose inline scripts carry `nonce`: only our own scripts and
/// wasm run, nothing loads from elsewhere, and no site may frame us.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for everything that is not a page (server functions, files, errors).
pub const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Sets the page policy on the response being rendered, using the nonce Leptos gives
/// its inline scripts.
pub fn set_page_policy() {
    use leptos::prelude::use_context;
    let (Some(options), Some(nonce)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        leptos::nonce::use_nonce(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
        options.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Pages that work as plain HTML and ship no code: sign-in, its second step and **Confirm
/// access** are form posts (their passkey buttons use `/passkey.js`, not the app), and
/// sign-in (reached before anything else) should cost nothing but itself.
pub const PAGES_WITHOUT_CODE: [&str; 4] = [
    "/login",
    "/login/two-factor",
    "/confirm-access",
    "/login/sso",
];

/// Whether the page being rendered loads the app's JavaScript and wasm.
pub fn page_needs_code() -> bool {
    leptos::prelude::use_context::<http::request::Parts>()
        .is_none_or(|parts| !PAGES_WITHOUT_CODE.contains(&parts.uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_allows_only_the_nonce_and_our_wasm() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}

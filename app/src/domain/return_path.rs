//! Where **Confirm access** goes back to: a path of this site only, checked the same way by
//! the page that shows the link and the server that redirects.

/// `next` if it is a path of this site (`/…`, not `//…` or `/\…`, printable ASCII, at most
/// 512 bytes); anything else is the home page.
pub fn return_path(next: &str) -> String {
    let fits = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && next.len() <= 512
        && next.bytes().all(|b| b.is_ascii_graphic());
    if fits {
        next.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::return_path;

    #[test]
    fn only_paths_of_this_site_are_gone_back_to() {
        assert_eq!(
            return_path("/settings/api/tokens/new"),
            "/settings/api/tokens/new"
        );
        assert_eq!(return_path("/settings/users?x=1"), "/settings/users?x=1");
        let refused = [
            "",
            "https://evil.test/",
            "//evil.test",
            "/\\evil.test",
            "/a b",
            "/é",
            "javascript:alert(1)",
        ];
        for bad in refused {
            assert_eq!(return_path(bad), "/", "{bad}");
        }
        assert_eq!(return_path(&format!("/{}", "a".repeat(600))), "/");
    }
}

//! The places of the console a role may open: the home page lists them and the navigation
//! shows only them.

use super::{Permission, Role};

/// A page of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// Its path.
    pub href: &'static str,
    /// Its name in the navigation.
    pub label: &'static str,
    /// The navigation group it is under.
    pub group: &'static str,
    /// What it is for, on the home page.
    pub purpose: &'static str,
    /// What the role needs to open it (`None`: everyone signed in).
    needs: Option<Permission>,
}

/// Every place, in the navigation's order.
pub const PLACES: [Place; 6] = [
    Place {
        href: "/settings/api",
        label: "API",
        group: "Technical",
        purpose: "Turn the account's API access on or off and create, change and retire its access tokens.",
        needs: Some(Permission::ViewApiSettings),
    },
    Place {
        href: "/settings/api/reference",
        label: "API reference",
        group: "Technical",
        purpose: "Read how integrations call the sandbox API, introspection and revocation: every parameter, answer and status.",
        needs: Some(Permission::ViewApiSettings),
    },
    Place {
        href: "/settings/users",
        label: "Users",
        group: "Account",
        purpose: "Add the people who use this account, change their roles, disable them and reset their passwords.",
        needs: Some(Permission::ManageUsers),
    },
    Place {
        href: "/settings/activity",
        label: "Activity",
        group: "Account",
        purpose: "Read everything that happened in the account, filter it and export it as CSV.",
        needs: Some(Permission::ViewActivity),
    },
    Place {
        href: "/settings/security",
        label: "Security",
        group: "You",
        purpose: "Set up an authenticator app, so a stolen password alone can't sign in as you, and keep your recovery codes.",
        needs: None,
    },
    Place {
        href: "/settings/password",
        label: "Change password",
        group: "You",
        purpose: "Change the password you sign in with.",
        needs: None,
    },
];

/// The places `role` may open, in order.
pub fn places_for(role: Role) -> impl Iterator<Item = &'static Place> {
    PLACES
        .iter()
        .filter(move |place| place.needs.is_none_or(|needs| role.allows(needs)))
}

/// Which of `hrefs` the page at `path` belongs to: the longest that is `path` itself or a
/// folder above it (`/settings/api` for a token's page, `/settings/api/reference` for the
/// reference alone); `/` only for `/`. Exactly one navigation item is current, or none.
pub fn current<'a>(path: &str, hrefs: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let path = path.trim_end_matches('/');
    hrefs
        .into_iter()
        .filter(|href| {
            let href = href.trim_end_matches('/');
            path == href
                || (!href.is_empty()
                    && path
                        .strip_prefix(href)
                        .is_some_and(|rest| rest.starts_with('/')))
        })
        .max_by_key(|href| href.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_place_is_current_the_nearest_above_the_page() {
        let hrefs = [
            "/",
            "/settings/api",
            "/settings/api/reference",
            "/settings/users",
        ];
        for (path, expected) in [
            ("/", Some("/")),
            ("/settings/api", Some("/settings/api")),
            ("/settings/api/", Some("/settings/api")),
            ("/settings/api/tokens/TS1", Some("/settings/api")),
            ("/settings/api/reference", Some("/settings/api/reference")),
            ("/settings/apis", None),
            ("/settings/users", Some("/settings/users")),
            ("/settings", None),
        ] {
            assert_eq!(current(path, hrefs), expected, "{path}");
        }
    }

    fn hrefs(role: Role) -> Vec<&'static str> {
        places_for(role).map(|place| place.href).collect()
    }

    #[test]
    fn each_role_sees_only_what_it_may_open() {
        assert_eq!(
            hrefs(Role::AccountAdmin),
            [
                "/settings/api",
                "/settings/api/reference",
                "/settings/users",
                "/settings/activity",
                "/settings/security",
                "/settings/password"
            ]
        );
        assert_eq!(
            hrefs(Role::ImplementationSpecialist),
            [
                "/settings/api",
                "/settings/api/reference",
                "/settings/activity",
                "/settings/security",
                "/settings/password"
            ]
        );
        let own = ["/settings/security", "/settings/password"];
        assert_eq!(hrefs(Role::Analyst), own);
        assert_eq!(hrefs(Role::Finance), own);
    }
}

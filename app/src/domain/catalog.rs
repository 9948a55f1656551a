//! The scope catalogue of API version 14: 29 categories, 68 scopes. Compiled into both
//! the browser and the server so both validate against the same list.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An HTTP method a scope can grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Method {
    /// Read.
    Get,
    /// Create.
    Post,
    /// Replace or update.
    Put,
    /// Partial update.
    Patch,
    /// Remove.
    Delete,
}

impl Method {
    /// Every method, in the order the catalogue lists them.
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    /// Lower-case, as in scope ids (`actions:get`).
    pub fn id(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }

    /// Upper-case, as on the wire and on the checkboxes.
    pub fn label(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method with this lower-case id.
    pub fn from_id(id: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.id() == id)
    }

    /// The method with this upper-case HTTP name.
    pub fn from_http(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.label() == name)
    }

    /// What kind of access the method gives.
    pub fn access(self) -> Access {
        match self {
            Method::Get => Access::Read,
            Method::Delete => Access::Delete,
            Method::Post | Method::Put | Method::Patch => Access::Write,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How much a scope lets a token do, for the review's plain-language summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// GET.
    Read,
    /// POST, PUT, PATCH.
    Write,
    Delete,
}

/// A category of the brand API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// The id used in scope ids.
    pub id: &'static str,
    /// The name people see.
    pub name: &'static str,
    /// The resource path under `/Advertisers/{AccountSID}/`.
    pub resource: &'static str,
    /// The methods it offers.
    pub methods: &'static [Method],
}

use Method::{Delete as D, Get as G, Patch as PA, Post as P, Put as U};

/// Every category, in the order they are shown.
pub const CATEGORIES: [Category; 29] = [
    cat("accounts", "Accounts", "CompanyInformation", &[G, U]),
    cat("actions", "Actions", "Actions", &[G, U, D]),
    cat(
        "action-inquiries",
        "Action Inquiries",
        "ActionInquiries",
        &[G, U],
    ),
    cat("ads", "Ads", "Ads", &[G, P, U]),
    cat("call-data", "Call Data", "CallData", &[G, P]),
    cat("catalogs", "Catalogs", "Catalogs", &[G, P, U, D]),
    cat("clicks", "Clicks", "Clicks", &[G]),
    cat("contacts", "Contacts", "Contacts", &[G, P, U, D]),
    cat("contracts", "Contracts", "Contracts", &[G, P, D]),
    cat("conversions", "Conversions", "Conversions", &[P]),
    cat("deals", "Deals", "Deals", &[G, P, U, D]),
    cat(
        "deferred-deep-link",
        "Deferred Deep Link",
        "DeferredDeepLink",
        &[P],
    ),
    cat(
        "exception-lists",
        "Exception Lists",
        "ExceptionLists",
        &[G, P, U, PA, D],
    ),
    cat("invoices", "Invoices", "Invoices", &[G]),
    cat("jobs", "Jobs", "Jobs", &[G, U]),
    cat("notes", "Notes", "Notes", &[G, P, U, D]),
    cat("page-load", "Page Load", "PageLoad", &[P]),
    cat(
        "partner-groups",
        "Partner Groups",
        "PartnerGroups",
        &[G, P, U, D],
    ),
    cat("partners", "Partners", "MediaPartners", &[G, P, U]),
    cat("phone-numbers", "Phone Numbers", "PhoneNumbers", &[G]),
    cat("programs", "Programs", "Campaigns", &[G, P]),
    cat("promo-codes", "Promo Codes", "PromoCodes", &[G, P, D]),
    cat(
        "promo-code-exception-lists",
        "Promo Code Exception Lists",
        "PromoCodeExceptionLists",
        &[G, P, U, D],
    ),
    cat("reports", "Reports", "Reports", &[G]),
    cat("routing-rules", "Routing Rules", "RoutingRules", &[G]),
    cat("submissions", "Submissions", "APISubmissions", &[G]),
    cat("tasks", "Tasks", "Tasks", &[G]),
    cat("tracking-links", "Tracking Links", "TrackingLinks", &[P]),
    cat(
        "tracking-value-requests",
        "Tracking Value Requests",
        "TrackingValueRequests",
        &[G, U, D],
    ),
];

const fn cat(
    id: &'static str,
    name: &'static str,
    resource: &'static str,
    methods: &'static [Method],
) -> Category {
    Category {
        id,
        name,
        resource,
        methods,
    }
}

/// The category with this id.
pub fn category(id: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.id == id)
}

/// The category served at this resource path.
pub fn category_for_resource(resource: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.resource == resource)
}

/// How many scopes the catalogue has.
pub fn scope_count() -> usize {
    CATEGORIES.iter().map(|c| c.methods.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_catalogue_has_29_categories_and_68_scopes() {
        assert_eq!(CATEGORIES.len(), 29);
        assert_eq!(scope_count(), 68);
    }

    #[test]
    fn ids_names_and_resources_are_unique() {
        let ids: HashSet<_> = CATEGORIES.iter().map(|c| c.id).collect();
        let names: HashSet<_> = CATEGORIES.iter().map(|c| c.name).collect();
        let resources: HashSet<_> = CATEGORIES.iter().map(|c| c.resource).collect();
        assert_eq!((ids.len(), names.len(), resources.len()), (29, 29, 29));
    }

    #[test]
    fn lookups() {
        assert_eq!(
            category("partners").map(|c| c.resource),
            Some("MediaPartners")
        );
        assert_eq!(
            category_for_resource("Campaigns").map(|c| c.id),
            Some("programs")
        );
        assert!(category("nope").is_none());
        assert_eq!(Method::from_id("patch"), Some(Method::Patch));
        assert_eq!(Method::from_http("DELETE"), Some(Method::Delete));
        assert_eq!(Method::from_http("delete"), None);
    }

    #[test]
    fn methods_are_listed_in_canonical_order() {
        for category in CATEGORIES {
            let mut sorted = category.methods.to_vec();
            sorted.sort();
            assert_eq!(sorted, category.methods, "{}", category.id);
        }
    }

    #[test]
    fn names_and_ids_are_ascii_so_the_scope_filter_can_fold_ascii_alone() {
        for category in CATEGORIES {
            assert!(category.name.is_ascii(), "{}", category.name);
            assert!(category.id.is_ascii(), "{}", category.id);
        }
    }
}

//! Scope ids (`<category>:<method>`) and the non-empty set of them a token holds.

use super::catalog::{Category, Method, CATEGORIES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// A scope of the catalogue, valid by construction; orders as the catalogue lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ScopeId {
    category_index: usize,
    method: Method,
}

/// Why a scope or a set of scopes was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ScopeError {
    /// Not a scope of the catalogue.
    #[error("\"{0}\" is not a scope of the catalogue.")]
    Unknown(String),
    /// No scope chosen.
    #[error("Choose at least one scope.")]
    Empty,
}

impl ScopeId {
    /// Parses `category:method`, for example `actions:get`.
    pub fn parse(id: &str) -> Result<Self, ScopeError> {
        let unknown = || ScopeError::Unknown(id.chars().take(80).collect());
        let (category_id, method_id) = id.split_once(':').ok_or_else(unknown)?;
        let category_index = CATEGORIES
            .iter()
            .position(|c| c.id == category_id)
            .ok_or_else(unknown)?;
        let method = Method::from_id(method_id).ok_or_else(unknown)?;
        if !CATEGORIES[category_index].methods.contains(&method) {
            return Err(unknown());
        }
        Ok(Self {
            category_index,
            method,
        })
    }

    /// The scope of `category` for `method`, if the category offers it.
    pub fn of(category_id: &str, method: Method) -> Option<Self> {
        let category_index = CATEGORIES.iter().position(|c| c.id == category_id)?;
        CATEGORIES[category_index]
            .methods
            .contains(&method)
            .then_some(Self {
                category_index,
                method,
            })
    }

    pub fn category(self) -> &'static Category {
        &CATEGORIES[self.category_index]
    }

    pub fn method(self) -> Method {
        self.method
    }

    /// Every scope of the catalogue, in order.
    pub fn all() -> impl Iterator<Item = ScopeId> {
        CATEGORIES
            .iter()
            .enumerate()
            .flat_map(|(category_index, c)| {
                c.methods.iter().map(move |&method| ScopeId {
                    category_index,
                    method,
                })
            })
    }
}

impl fmt::Display for ScopeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.category().id, self.method.id())
    }
}

impl TryFrom<String> for ScopeId {
    type Error = ScopeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ScopeId> for String {
    fn from(value: ScopeId) -> Self {
        value.to_string()
    }
}

/// The scopes a token holds: at least one, all from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "BTreeSet<ScopeId>", into = "BTreeSet<ScopeId>")]
pub struct ScopeSet(BTreeSet<ScopeId>);

impl ScopeSet {
    /// Parses scope ids; an unknown one or none at all is refused.
    pub fn parse<'a>(ids: impl IntoIterator<Item = &'a str>) -> Result<Self, ScopeError> {
        let set = ids
            .into_iter()
            .map(ScopeId::parse)
            .collect::<Result<BTreeSet<_>, _>>()?;
        Self::try_from(set)
    }

    /// The scopes, in catalogue order.
    pub fn iter(&self) -> impl Iterator<Item = ScopeId> + '_ {
        self.0.iter().copied()
    }

    /// How many scopes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Never true: a set always holds a scope. Here for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the set grants `scope`.
    pub fn contains(&self, scope: ScopeId) -> bool {
        self.0.contains(&scope)
    }

    /// The scopes grouped by category, in catalogue order.
    pub fn by_category(&self) -> Vec<(&'static Category, Vec<Method>)> {
        let mut groups: Vec<(&'static Category, Vec<Method>)> = Vec::new();
        for scope in self.iter() {
            match groups.last_mut() {
                Some((category, methods)) if category.id == scope.category().id => {
                    methods.push(scope.method())
                }
                _ => groups.push((scope.category(), vec![scope.method()])),
            }
        }
        groups
    }
}

impl TryFrom<BTreeSet<ScopeId>> for ScopeSet {
    type Error = ScopeError;

    fn try_from(value: BTreeSet<ScopeId>) -> Result<Self, Self::Error> {
        if value.is_empty() {
            Err(ScopeError::Empty)
        } else {
            Ok(Self(value))
        }
    }
}

impl From<ScopeSet> for BTreeSet<ScopeId> {
    fn from(value: ScopeSet) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_scope_round_trips() {
        let all: Vec<ScopeId> = ScopeId::all().collect();
        assert_eq!(all.len(), 68);
        for scope in all {
            assert_eq!(ScopeId::parse(&scope.to_string()), Ok(scope));
        }
    }

    #[test]
    fn refuses_what_the_catalogue_lacks() {
        for bad in [
            "",
            "actions",
            "actions:",
            ":get",
            "actions:post",
            "Actions:get",
            "actions:GET",
            "nope:get",
            "clicks:delete",
        ] {
            assert!(
                matches!(ScopeId::parse(bad), Err(ScopeError::Unknown(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_set_needs_one_scope_and_only_known_ones() {
        assert_eq!(ScopeSet::parse([]), Err(ScopeError::Empty));
        assert!(matches!(
            ScopeSet::parse(["actions:get", "x:y"]),
            Err(ScopeError::Unknown(_))
        ));
        let set = ScopeSet::parse([
            "reports:get",
            "actions:delete",
            "actions:get",
            "actions:get",
        ])
        .unwrap();
        assert_eq!(set.len(), 3);
        let ids: Vec<String> = set.iter().map(|s| s.to_string()).collect();
        assert_eq!(ids, ["actions:get", "actions:delete", "reports:get"]);
    }

    #[test]
    fn groups_by_category() {
        let set = ScopeSet::parse(["reports:get", "actions:delete", "actions:get"]).unwrap();
        let groups: Vec<(&str, Vec<Method>)> = set
            .by_category()
            .into_iter()
            .map(|(c, m)| (c.id, m))
            .collect();
        assert_eq!(
            groups,
            [
                ("actions", vec![Method::Get, Method::Delete]),
                ("reports", vec![Method::Get])
            ]
        );
    }

    #[test]
    fn deserialising_validates() {
        let ok: Result<ScopeSet, _> = serde_json::from_str(r#"["actions:get"]"#);
        assert!(ok.is_ok());
        let empty: Result<ScopeSet, _> = serde_json::from_str("[]");
        assert!(empty.is_err());
        let unknown: Result<ScopeSet, _> = serde_json::from_str(r#"["actions:post"]"#);
        assert!(unknown.is_err());
    }
}

//! Ready-made scope selections offered on the wizard's **API Scopes** step.

use super::catalog::Method;
use super::scopes::ScopeId;
use std::collections::BTreeSet;

/// A named selection of scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// Every GET scope.
    ReadOnly,
    /// What a reporting job reads.
    Reporting,
    /// What keeps a product catalogue in sync.
    CatalogSync,
}

impl Preset {
    /// Every preset, in the order they are offered.
    pub const ALL: [Preset; 3] = [Preset::ReadOnly, Preset::Reporting, Preset::CatalogSync];

    /// The button's label.
    pub fn label(self) -> &'static str {
        match self {
            Preset::ReadOnly => "Read only: everything",
            Preset::Reporting => "Reporting",
            Preset::CatalogSync => "Catalog sync",
        }
    }

    /// The scopes it selects.
    pub fn scopes(self) -> BTreeSet<ScopeId> {
        let named = |ids: &[(&str, Method)]| {
            ids.iter()
                .filter_map(|(category, method)| ScopeId::of(category, *method))
                .collect()
        };
        match self {
            Preset::ReadOnly => ScopeId::all()
                .filter(|s| s.method() == Method::Get)
                .collect(),
            Preset::Reporting => named(&[
                ("actions", Method::Get),
                ("clicks", Method::Get),
                ("invoices", Method::Get),
                ("partners", Method::Get),
                ("programs", Method::Get),
                ("reports", Method::Get),
            ]),
            Preset::CatalogSync => named(&[
                ("catalogs", Method::Get),
                ("catalogs", Method::Post),
                ("catalogs", Method::Put),
                ("catalogs", Method::Delete),
                ("programs", Method::Get),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_select_what_they_say() {
        let read_only = Preset::ReadOnly.scopes();
        assert_eq!(read_only.len(), 25);
        assert!(read_only.iter().all(|s| s.method() == Method::Get));
        assert_eq!(Preset::Reporting.scopes().len(), 6);
        assert_eq!(Preset::CatalogSync.scopes().len(), 5);
    }
}

//! The specs embedded at build time (`build.rs`), parsed once, on first use.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use bitrix_codegen::{check_all, Method, SpecSource};

include!(concat!(env!("OUT_DIR"), "/specs.rs"));

/// Every method the embedded specs describe, by name.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Methods by REST name, sorted.
    pub methods: BTreeMap<String, Method>,
}

impl Catalog {
    /// The method `name`, if a spec describes it.
    pub fn get(&self, name: &str) -> Option<&Method> {
        self.methods.get(name)
    }

    /// The closest method name to `name`, for a did-you-mean hint.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        bitrix_codegen::diag::did_you_mean(name, self.methods.keys().map(String::as_str))
    }

    /// The spec folders (scopes), sorted.
    pub fn folders(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.methods.values().map(|m| m.folder.as_str()).collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The catalog, parsed on first use. Specs that fail validation are left out (the SDK's build
/// refuses them anyway); the ones that parse as a fallback are kept, since their parameters are
/// still known well enough to check and describe.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let sources: Vec<SpecSource> = SPECS
            .iter()
            .map(|(path, text)| {
                let mut source = SpecSource::new(*path, *text);
                // `specs/<folder>/<method>.toml`: the folder is the method's scope module.
                source.folder = path.split_once('/').map(|(folder, _)| folder.to_string());
                source
            })
            .collect();
        let checked = check_all(&sources);
        let methods = checked
            .methods
            .into_iter()
            .chain(checked.fallback)
            .map(|m| (m.name.clone(), m))
            .collect();
        Catalog { methods }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_spec_parses() {
        let catalog = catalog();
        assert!(catalog.get("crm.item.list").is_some());
        assert!(catalog.folders().contains(&"imbot"));
        assert_eq!(catalog.suggest("crm.item.lst"), Some("crm.item.list"));
    }
}

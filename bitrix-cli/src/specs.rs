//! The specs embedded at build time (`build.rs`), parsed on first use: the one spec a command
//! names on its own (fast, however many specs there are), all of them for listings and hints.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock};

use bitrix_codegen::valid::check_shared_types;
use bitrix_codegen::{check_all, parse_spec_with_fallback, Method, SpecSource};

include!(concat!(env!("OUT_DIR"), "/specs.rs"));

/// Every method the embedded specs describe, by name.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Methods by REST name, sorted.
    pub methods: BTreeMap<String, Method>,
}

impl Catalog {
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

/// An embedded file as the spec reader wants it, with its folder (`specs/<folder>/<file>`): the
/// method's scope module, and the key of its folder's shared types.
fn source(path: &str, text: &str) -> SpecSource {
    SpecSource::below_root(path, text)
}

/// Every spec, checked together with `check_all`, once. Specs that fail validation are left out
/// (the SDK's build refuses them anyway); the ones that parse as a fallback are kept, since their
/// parameters are still known well enough to check and describe.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let sources: Vec<SpecSource> = SPECS.iter().map(|(p, t)| source(p, t)).collect();
        let checked = check_all(&sources);
        let methods = checked
            .methods
            .into_iter()
            .chain(checked.fallback)
            .map(|m| (m.key(), m))
            .collect();
        Catalog { methods }
    })
}

/// The method `name`, reading only its own spec (`<folder>/<name>.toml`) and its folder's shared
/// types: `call` and `export` need one method, and parsing 1,500 specs for it would be most of
/// their start-up time. `None` when no file has that name (the caller then asks the catalog for
/// a hint).
pub fn method(name: &str) -> Option<&'static Method> {
    // One entry per method asked for, kept for the life of the process (a batch asks for several).
    static PARSED: OnceLock<Mutex<HashMap<String, &'static Method>>> = OnceLock::new();
    let parsed = PARSED.get_or_init(Default::default);
    if let Some(m) = parsed.lock().unwrap_or_else(|p| p.into_inner()).get(name) {
        return Some(m);
    }
    let file = format!("{name}.toml");
    let (path, text) = SPECS
        .iter()
        .find(|(path, _)| path.rsplit('/').next() == Some(file.as_str()))?;
    let spec = source(path, text);
    let types: Vec<SpecSource> = SPECS
        .iter()
        .filter(|(p, _)| p.split_once('/').map(|(f, _)| f) == spec.folder.as_deref())
        .map(|(p, t)| source(p, t))
        .filter(SpecSource::is_shared_types)
        .collect();
    let (shared, _) = check_shared_types(&types.iter().collect::<Vec<_>>());
    let folder_types = spec
        .folder
        .as_ref()
        .and_then(|f| shared.get(f))
        .map_or(&[][..], Vec::as_slice);
    let (found, _problems) = parse_spec_with_fallback(&spec, folder_types);
    let found: &'static Method = Box::leak(Box::new(found?));
    parsed
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(name.to_string(), found);
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_spec_parses() {
        let catalog = catalog();
        assert!(catalog.methods.contains_key("crm.item.list"));
        assert!(catalog.folders().contains(&"imbot"));
        assert_eq!(catalog.suggest("crm.item.lst"), Some("crm.item.list"));
    }

    #[test]
    fn one_spec_alone_is_the_same_method() {
        for name in ["crm.item.list", "imbot.command.update", "user.current"] {
            assert_eq!(method(name), catalog().methods.get(name), "{name}");
        }
        assert!(method("no.such.method").is_none());
    }
}

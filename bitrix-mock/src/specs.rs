//! The specs embedded at build time, parsed once per process.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use bitrix_codegen::{check_all, load_dir, Method, SpecSource};

include!(concat!(env!("OUT_DIR"), "/specs.rs"));

/// Every method of the embedded specs by name, or every problem found in them.
pub fn methods() -> Result<Arc<BTreeMap<String, Method>>, String> {
    static METHODS: OnceLock<Result<Arc<BTreeMap<String, Method>>, String>> = OnceLock::new();
    METHODS
        .get_or_init(|| {
            let sources: Vec<SpecSource> = SPECS
                .iter()
                .map(|(display, text)| SpecSource::below_root(*display, *text))
                .collect();
            check(&sources)
        })
        .clone()
}

/// Every method of the specs below `dir`, read now.
pub fn methods_in(dir: &Path) -> Result<Arc<BTreeMap<String, Method>>, String> {
    let sources = load_dir(dir).map_err(|problems| {
        problems
            .iter()
            .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    check(&sources)
}

fn check(sources: &[SpecSource]) -> Result<Arc<BTreeMap<String, Method>>, String> {
    let checked = check_all(sources);
    if !checked.problems.is_empty() {
        return Err(checked
            .problems
            .iter()
            .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
            .collect::<Vec<_>>()
            .join("\n"));
    }
    Ok(Arc::new(
        checked.methods.into_iter().map(|m| (m.key(), m)).collect(),
    ))
}

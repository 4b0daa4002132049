//! The specs embedded at build time, parsed once per process.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use bitrix_codegen::{check_all, Method, SpecSource};

include!(concat!(env!("OUT_DIR"), "/specs.rs"));

/// Every method of the embedded specs by name, or every problem found in them.
pub fn methods() -> Result<&'static BTreeMap<String, Method>, String> {
    static METHODS: OnceLock<Result<BTreeMap<String, Method>, String>> = OnceLock::new();
    METHODS
        .get_or_init(|| {
            let sources: Vec<SpecSource> = SPECS
                .iter()
                .map(|(display, text)| SpecSource::new(*display, *text))
                .collect();
            let checked = check_all(&sources);
            if !checked.problems.is_empty() {
                return Err(checked
                    .problems
                    .iter()
                    .map(|d| format!("{}:{}:{}: {}", d.file, d.line, d.column, d.message))
                    .collect::<Vec<_>>()
                    .join("\n"));
            }
            Ok(checked
                .methods
                .into_iter()
                .map(|m| (m.name.clone(), m))
                .collect())
        })
        .as_ref()
        .map_err(Clone::clone)
}

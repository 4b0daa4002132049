//! What a re-import keeps of an imported spec: every key the importer does not write itself.
//!
//! Imported specs are finished further by hand and by other tools (`auth`, `param_case`,
//! `[state]` facts such as `partition` or `[state.defaults]`, `[[reviewed]]` rows, descriptions
//! in our words). The importer decides here what the old file overrides in the spec it builds
//! ([`prepare`]); the spec library's writer then copies the rest over from the file it replaces
//! ([`bitrix_codegen::write::merge()`]). `[state]` belongs to whoever wrote it once a spec has one:
//! the importer's guess only fills a spec without it.

use serde_json::Value;

use bitrix_codegen::write::spec::{Required, Spec};

/// Before validating a freshly built spec: what the spec it replaces decides instead of the
/// importer. A spec that has `[state]` keeps it (so the importer's own `[state]` and its todo
/// points about it are dropped); a read marked `idempotent` stays marked; a parameter whose
/// required mark a `[[reviewed]]` row keeps apart from the reference keeps the spec's mark.
pub fn prepare(spec: &mut Spec, old: &Value) {
    for r in old
        .get("reviewed")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(line) = r.get("drift").and_then(Value::as_str) else {
            continue;
        };
        let Some((name, rest)) = line
            .strip_prefix("parameter `")
            .and_then(|l| l.split_once("`: required is "))
        else {
            continue;
        };
        let Some(mark) = rest
            .split(" in the spec")
            .next()
            .and_then(|r| r.rsplit(", ").next())
        else {
            continue;
        };
        if let Some(p) = spec.params.iter_mut().find(|p| p.name == name) {
            p.required = Required::from(mark == "true");
        }
    }
    if old.get("state").is_some() {
        spec.state = None;
        spec.todo.retain(|p| !p.starts_with("[state]"));
    }
    if old.get("idempotent").and_then(Value::as_bool) == Some(true) {
        spec.idempotent = true;
    }
}

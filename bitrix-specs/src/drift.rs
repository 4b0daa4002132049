//! `bitrix-specs drift`: what the reference says now against what the specs hold.
//!
//! Reported: methods the reference has and the specs lack, specs the reference no longer has, and
//! changed facts of a method (parameters, required marks, types, error codes, deprecation). A
//! point the importer marks as undecided (a todo) that a maintainer has since settled, by hand or
//! by removing it from the spec's `todo`, is not reported again; nor is a difference a spec lists
//! under `[[reviewed]]` (kept on purpose, with why). A reviewed line that no longer occurs is
//! reported, so acknowledgements do not outlive the difference.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::build::build;
use crate::check::{settle, validator_mode};
use crate::discover::discover;
use crate::docs::Docs;
use crate::existing::{read_folder, Existing};
use bitrix_codegen::write::spec::{Required, Spec};

/// Every difference, one line each, sorted by method.
pub fn drift(docs_dir: &Path, specs: &Path) -> Result<Vec<String>, String> {
    let docs = Docs::load(docs_dir).map_err(|e| e.to_string())?;
    let found = discover(&docs);
    let folder = read_folder(specs).map_err(|problems| problems.join("\n"))?;
    let existing = &folder.specs;
    let mode = validator_mode();
    let by_method: BTreeMap<String, &Existing> = existing.iter().map(|e| (e.key(), e)).collect();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &found.found {
        let key = f.key();
        seen.insert(key.clone());
        let Some(e) = by_method.get(&key) else {
            out.push(format!(
                "{}: in the reference (api-reference/{}), no spec",
                f.method, f.rel
            ));
            continue;
        };
        let Some(page) = docs.pages.get(&f.rel) else {
            continue;
        };
        let mut spec = build(&docs, page, &f.method, &f.scope, f.rest);
        spec.twin = f.twin;
        if settle(&mut spec, mode).is_err() {
            continue;
        }
        let shared = e
            .path
            .parent()
            .and_then(|dir| folder.shared.get(dir))
            .and_then(|types| types.get("types"))
            .unwrap_or(&Value::Null);
        let found = compare(&spec, e, shared);
        out.extend(
            unreviewed(e, found)
                .into_iter()
                .map(|l| format!("{}: {l}", f.method)),
        );
    }
    for e in existing {
        if !seen.contains(&e.key()) {
            out.push(format!(
                "{}: spec {} has no page in the reference",
                e.method,
                e.path.display()
            ));
        }
    }
    out.sort();
    Ok(out)
}

/// The spec's `[[reviewed]]` lines.
fn reviewed(e: &Existing) -> Vec<String> {
    e.value
        .get("reviewed")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| r.get("drift").and_then(Value::as_str))
                .map(|s| s.trim().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `found` without the lines the spec reviewed, plus a line for each reviewed point gone.
fn unreviewed(e: &Existing, found: Vec<String>) -> Vec<String> {
    let kept = reviewed(e);
    let mut out: Vec<String> = found
        .iter()
        .filter(|l| !kept.iter().any(|k| k == l.trim()))
        .cloned()
        .collect();
    for k in &kept {
        if !found.iter().any(|l| l.trim() == k) {
            out.push(format!(
                "reviewed difference no longer found (remove it from [[reviewed]]): {k}"
            ));
        }
    }
    out
}

/// Whether the spec's type only narrows the reference's: a flag, date, enum or URL for a string,
/// a typed object for a free one, a float for a number, a typed REST 3.0 select or filter.
fn narrows(reference: &str, spec: &str) -> bool {
    // REST 3.0 `select<T>` and `filter<T>` type the page's string list and free filter.
    // The struct behind them is the spec's to name (`Item` on the page, `TaskV3` shared).
    if spec.starts_with("select<") {
        return reference == "[string]" || reference.starts_with("select<");
    }
    // REST 2 `conditions` types the page's free filter object.
    if spec == "conditions" || spec.starts_with("conditions<") {
        return matches!(reference, "any" | "{any}" | "object" | "conditions")
            || reference.starts_with("conditions<");
    }
    // A struct that names the filter's keys narrows a free one.
    if reference.starts_with("conditions") && spec == "object" {
        return true;
    }
    if spec.starts_with("filter<") {
        return matches!(reference, "any" | "{any}" | "[any]" | "object")
            || reference.starts_with("filter<");
    }
    // A union of one value and a list: a hand spec may keep one of the two forms.
    if let Some(r) = reference
        .strip_prefix("one_or_many<")
        .and_then(|r| r.strip_suffix('>'))
    {
        let s = inner(spec, '[', ']').unwrap_or(spec);
        // `string` stands for "text or number" in an imported union.
        return s == r || narrows(r, s) || r == "string" && matches!(s, "integer" | "double");
    }
    if let (Some(r), Some(s)) = (inner(reference, '[', ']'), inner(spec, '[', ']')) {
        return narrows(r, s);
    }
    if let (Some(r), Some(s)) = (inner(reference, '{', '}'), inner(spec, '{', '}')) {
        return narrows(r, s);
    }
    matches!(
        (reference, spec),
        ("string", "flag" | "date" | "datetime" | "enum")
            | ("flag", "boolean")
            | ("boolean", "flag")
            | ("{any}" | "{object}" | "{string}", "object")
            | ("number", "float" | "integer")
            | ("float", "number")
    )
}

fn inner(t: &str, open: char, close: char) -> Option<&str> {
    t.strip_prefix(open).and_then(|x| x.strip_suffix(close))
}

/// `integer?` -> `integer`, a named type -> `object`, `[Name]` -> `[object]`, `url` -> `string`.
fn shape(ty: &str, named: &dyn Fn(&str) -> bool) -> String {
    let t = ty.trim().trim_end_matches('?');
    if let Some(inner) = t.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        return format!("[{}]", shape(inner, named));
    }
    if let Some(inner) = t.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
        return format!("{{{}}}", shape(inner, named));
    }
    match t {
        "url" => "string".into(),
        _ if t.starts_with(|c: char| c.is_ascii_uppercase()) && !named(t) => "string".into(),
        _ if named(t) => "object".into(),
        _ => t.to_string(),
    }
}

/// A fact the fresh import leaves open and the spec has settled: not reported.
fn settled(spec: &Spec, e: &Existing, name: &str) -> bool {
    let needle = format!("`{name}");
    spec.todo
        .iter()
        .filter(|p| p.contains(&needle))
        .any(|p| !e.todo.contains(p))
}

fn compare(spec: &Spec, e: &Existing, shared: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let v = &e.value;
    let declared = || {
        v.get("types")
            .and_then(Value::as_object)
            .into_iter()
            .chain(shared.as_object())
            .flat_map(|m| m.iter())
    };
    let have_types: BTreeSet<String> = declared()
        .filter(|(_, t)| t.get("values").is_none())
        .map(|(k, _)| k.clone())
        .collect();
    let enums: BTreeSet<String> = declared()
        .filter(|(_, t)| t.get("values").is_some())
        .map(|(k, _)| k.clone())
        .collect();
    let new_types: BTreeSet<String> = spec
        .types
        .iter()
        .filter(|t| t.values.is_empty())
        .map(|t| t.name.clone())
        .collect();
    let old_named = |t: &str| {
        have_types.contains(t)
            || (t.starts_with(|c: char| c.is_ascii_uppercase()) && !enums.contains(t))
    };
    let new_named = |t: &str| new_types.contains(t);
    let old: Vec<(String, bool, String)> = v
        .get("params")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| {
                    (
                        p.get("name")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string(),
                        p.get("required").and_then(Value::as_bool).unwrap_or(false),
                        shape(
                            p.get("type").and_then(Value::as_str).unwrap_or("any"),
                            &old_named,
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for p in &spec.params {
        if settled(spec, e, &p.name) {
            continue;
        }
        match old.iter().find(|(n, _, _)| *n == p.name) {
            None => out.push(format!("parameter `{}` is new in the reference", p.name)),
            Some((_, req, ty)) => {
                let required = p.required == Required::Yes;
                if *req != required {
                    out.push(format!(
                        "parameter `{}`: required is {required} in the reference, {req} in the spec",
                        p.name
                    ));
                }
                let new_ty = shape(&p.ty, &new_named);
                if new_ty != *ty && new_ty != "any" && *ty != "any" && !narrows(&new_ty, ty) {
                    out.push(format!(
                        "parameter `{}`: type is `{new_ty}` in the reference, `{ty}` in the spec",
                        p.name
                    ));
                }
            }
        }
    }
    for (n, _, _) in &old {
        if !spec.params.iter().any(|p| p.name == *n) && !settled(spec, e, n) {
            let dropped = spec
                .todo
                .iter()
                .any(|t| t.contains(&format!("parameter `{n}` left out")));
            if !dropped {
                out.push(format!("parameter `{n}` is no longer in the reference"));
            }
        }
    }
    let old_codes: BTreeSet<String> = v
        .get("errors")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| r.get("code").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut new_codes: BTreeSet<String> = spec.errors.iter().map(|r| r.code.clone()).collect();
    // Rows sent with an empty code could not be written before the format held them: a spec
    // without any such row has not taken them up yet, which is no change in the reference.
    if !old_codes.contains("") {
        new_codes.remove("");
    }
    for c in new_codes.difference(&old_codes) {
        out.push(format!("error `{c}` is new in the reference"));
    }
    for c in old_codes.difference(&new_codes) {
        out.push(format!("error `{c}` is no longer in the reference"));
    }
    let old_dep = v.get("deprecated").map(|d| {
        d.get("replacement")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    match (&spec.deprecated, &old_dep) {
        (Some(_), None) => out.push("the reference marks the method deprecated".into()),
        (None, Some(_)) => out.push("the reference no longer marks the method deprecated".into()),
        (Some(Some(a)), Some(Some(b))) if a != b => out.push(format!(
            "replacement is `{a}` in the reference, `{b}` in the spec"
        )),
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::narrows;

    #[test]
    fn narrowed_types_are_no_drift() {
        assert!(narrows("string", "flag"));
        assert!(narrows("[string]", "[enum]"));
        assert!(narrows("{any}", "object"));
        assert!(narrows("[string]", "select<Task>"));
        assert!(narrows("{any}", "filter<Task>"));
        assert!(narrows("{any}", "conditions<Deal>"));
        assert!(narrows("conditions", "conditions<Deal>"));
        assert!(narrows("conditions<ResultType>", "object"));
        assert!(!narrows("conditions", "string"));
        assert!(narrows("select<Item>", "select<TaskV3>"));
        assert!(!narrows("integer", "select<Task>"));
        assert!(!narrows("string", "[integer]"));
        assert!(!narrows("integer", "string"));
        assert!(narrows("one_or_many<string>", "[integer]"));
        assert!(narrows("one_or_many<integer>", "integer"));
        assert!(!narrows("one_or_many<integer>", "{string}"));
        assert!(!narrows("one_or_many<integer>", "[string]"));
    }
}

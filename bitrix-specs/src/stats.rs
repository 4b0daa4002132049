//! `bitrix-specs stats`: how loose a spec folder still is. Fields typed `any` (a parameter, a
//! struct field or the result whose type is `any` inside any `[]`, `{}` or `?`), specs with todo
//! points, and reads (see [`crate::reads`]) that do not say `idempotent = true`.

use std::path::Path;

use serde_json::Value;

use crate::existing::read_folder;

/// The counts of one folder.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Stats {
    /// Spec files read (not `_types.toml`).
    pub specs: usize,
    /// Of those, written by the importer (`origin = "import"`).
    pub imported: usize,
    /// Parameters, struct fields and results typed `any`, in spec files.
    pub any_fields: usize,
    /// Of those, in imported specs.
    pub any_imported: usize,
    /// Struct fields typed `any` in `_types.toml` files.
    pub any_shared: usize,
    /// Specs with at least one todo point.
    pub with_todo: usize,
    /// Todo points in all.
    pub todo_points: usize,
    /// Reads without `idempotent = true`, by method name.
    pub reads_not_idempotent: Vec<String>,
}

/// Whether a type expression is `any` under its wrappers (`[any]`, `{any}?`, `any?`).
pub fn is_any(ty: &str) -> bool {
    ty.trim_matches(|c| "[]{}?".contains(c)) == "any"
}

/// Counts the specs below `dir`.
pub fn stats(dir: &Path) -> Result<Stats, String> {
    let folder = read_folder(dir).map_err(|problems| problems.join("\n"))?;
    let mut s = Stats::default();
    for e in &folder.specs {
        s.specs += 1;
        let n = any_in(&e.value);
        s.any_fields += n;
        if e.imported {
            s.imported += 1;
            s.any_imported += n;
        }
        if !e.todo.is_empty() {
            s.with_todo += 1;
            s.todo_points += e.todo.len();
        }
        let idempotent = e.value.get("idempotent").and_then(Value::as_bool) == Some(true);
        if crate::reads::is_read(&e.method) && !idempotent {
            s.reads_not_idempotent.push(e.method.clone());
        }
    }
    s.any_shared = folder.shared.values().map(any_in).sum();
    Ok(s)
}

/// `any`-typed parameters, struct fields and result of one spec (or `_types.toml`) as JSON.
pub(crate) fn any_in(v: &Value) -> usize {
    let ty = |f: &Value| f.get("type").and_then(Value::as_str).is_some_and(is_any);
    let list = |k: &str, from: &Value| {
        from.get(k)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter(|f| ty(f)).count())
            .unwrap_or(0)
    };
    let mut n = list("params", v);
    if let Some(types) = v.get("types").and_then(Value::as_object) {
        n += types.values().map(|t| list("fields", t)).sum::<usize>();
    }
    if v.get("result").is_some_and(ty) {
        n += 1;
    }
    n
}

impl std::fmt::Display for Stats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "specs: {} ({} imported)", self.specs, self.imported)?;
        writeln!(
            f,
            "fields typed any: {} ({} in imported specs; {} more in _types.toml)",
            self.any_fields, self.any_imported, self.any_shared
        )?;
        writeln!(
            f,
            "specs with todo: {} ({} points)",
            self.with_todo, self.todo_points
        )?;
        write!(
            f,
            "reads without idempotent: {}",
            self.reads_not_idempotent.len()
        )
    }
}

//! `bitrix-specs mark`: the mechanical changes every spec gets, hand-finished ones included,
//! made by a tool so that no hand edit is needed: reads (by name, see [`crate::reads`]) say
//! `idempotent = true`, and a scope the reference writes with dots (`sign.b2e`) is kept as
//! written instead of the `_` form older imports made of it. Running it twice changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::discover::discover;
use crate::docs::Docs;
use crate::existing::read_all;
use bitrix_codegen::write::toml::quote;
use bitrix_codegen::write::write_atomic;

/// What one run changed.
#[derive(Debug, Default)]
pub struct Marked {
    /// Files given `idempotent = true`.
    pub idempotent: Vec<PathBuf>,
    /// Files whose scope was put back as the reference writes it.
    pub scope: Vec<PathBuf>,
}

/// Marks the specs below `specs`; with `docs`, also restores scopes written with dots.
pub fn mark(docs: Option<&Path>, specs: &Path) -> Result<Marked, String> {
    let scopes: BTreeMap<String, String> = match docs {
        Some(d) => {
            let docs = Docs::load(d).map_err(|e| e.to_string())?;
            discover(&docs)
                .found
                .into_iter()
                .map(|f| (f.key(), f.scope))
                .collect()
        }
        None => BTreeMap::new(),
    };
    let (existing, problems) = read_all(specs);
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let mut out = Marked::default();
    for e in &existing {
        let text = &e.text;
        let mut new = text.clone();
        let read = crate::reads::is_read(&e.method);
        if read && e.value.get("idempotent").is_none() {
            new = after_scope(&new, "idempotent = true");
            out.idempotent.push(e.path.clone());
        }
        let have = e.value.get("scope").and_then(Value::as_str).unwrap_or("");
        if let Some(want) = scopes.get(&e.key()) {
            if want != have && want.replace('.', "_") == have {
                new = new.replacen(
                    &format!("scope = {}\n", quote(have)),
                    &format!("scope = {}\n", quote(want)),
                    1,
                );
                out.scope.push(e.path.clone());
            }
        }
        if new != *text {
            write_atomic(&e.path, &new).map_err(|x| format!("{}: {x}", e.path.display()))?;
        }
    }
    Ok(out)
}

/// `text` with `line` inserted after its top-level `scope = ` line (or at the top).
fn after_scope(text: &str, line: &str) -> String {
    let mut out = String::with_capacity(text.len() + line.len() + 1);
    let mut done = false;
    let mut top = true;
    for l in text.split_inclusive('\n') {
        top &= !l.starts_with('[');
        out.push_str(l);
        if !done && top && l.starts_with("scope = ") {
            if !l.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(line);
            out.push('\n');
            done = true;
        }
    }
    if !done {
        return format!("{line}\n{text}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::after_scope;

    #[test]
    fn inserted_after_scope() {
        let t = "method = \"a.get\"\nscope = \"a\"\n\n[result]\ntype = \"any\"\n";
        assert_eq!(
            after_scope(t, "idempotent = true"),
            "method = \"a.get\"\nscope = \"a\"\nidempotent = true\n\n[result]\ntype = \"any\"\n"
        );
    }
}

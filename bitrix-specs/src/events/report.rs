//! `drift` and `coverage` for events: what the reference documents against what `events/` holds.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::build::build;
use super::discover::{discover, rust_name, Discovery};
use super::{existing, folder_of, ExistingEvent};
use crate::docs::Docs;
use bitrix_codegen::write::event::EventSpec;

/// The reference's events, built as the importer would, by name.
fn reference(docs: &Docs, found: &Discovery) -> BTreeMap<String, (String, EventSpec)> {
    let mut out = BTreeMap::new();
    for f in &found.events {
        let Some(page) = docs.pages.get(&f.rel) else {
            continue;
        };
        if out.contains_key(&f.name) {
            continue;
        }
        let folder = folder_of(&f.rel, page.scope.as_deref());
        let rust = rust_name(&f.name, page, f.anchor.is_some(), &[]);
        out.insert(
            f.name.clone(),
            (f.rel.clone(), build(docs, page, f, rust, &folder)),
        );
    }
    out
}

/// The `data` keys of a spec and their types.
fn spec_fields(v: &Value) -> BTreeMap<String, String> {
    v.get("fields")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|f| {
                    Some((
                        f.get("name")?.as_str()?.to_string(),
                        f.get("type")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Differences between the reference and the event specs in `dir`, one line each.
pub fn drift(docs_dir: &Path, dir: &Path) -> Result<Vec<String>, String> {
    let docs = super::load(docs_dir)?;
    let found = discover(&docs);
    let refs = reference(&docs, &found);
    let specs = existing(dir)?;
    let mut lines = Vec::new();
    let have: BTreeSet<String> = specs.iter().map(|s| s.name.to_ascii_uppercase()).collect();
    for (name, (rel, _)) in &refs {
        if !have.contains(name) {
            lines.push(format!("{name}: documented on {rel}, no spec"));
        }
    }
    for s in &specs {
        let Some((_, ev)) = refs.get(&s.name.to_ascii_uppercase()) else {
            lines.push(format!("{}: no page of the reference documents it", s.name));
            continue;
        };
        let ours = spec_fields(&s.value);
        // Hand-finished specs describe keys the tables leave out; only the page's keys count.
        for f in &ev.fields {
            match ours.get(&f.name) {
                None => lines.push(format!(
                    "{}: data key `{}` documented, not in the spec",
                    s.name, f.name
                )),
                Some(t) if s.imported && *t != f.ty => lines.push(format!(
                    "{}: data key `{}` is `{}` in the reference, `{t}` in the spec",
                    s.name, f.name, f.ty
                )),
                Some(_) => {}
            }
        }
        if s.imported {
            for k in ours.keys() {
                if !ev.fields.iter().any(|f| &f.name == k) {
                    lines.push(format!(
                        "{}: data key `{k}` is no longer documented",
                        s.name
                    ));
                }
            }
        }
        let deprecated = s.value.get("deprecated").is_some();
        if ev.deprecated && !deprecated {
            lines.push(format!("{}: deprecated in the reference", s.name));
        }
    }
    Ok(lines)
}

/// Writes `<dir>/COVERAGE.md`: per folder, the events the reference documents, the specs, those
/// finished by hand, the loose ones with their todo points, and the pages not imported and why.
pub fn coverage(docs_dir: &Path, dir: &Path) -> Result<PathBuf, String> {
    let docs = super::load(docs_dir)?;
    let found = discover(&docs);
    let refs = reference(&docs, &found);
    let specs = existing(dir)?;
    let by_name: BTreeMap<String, &ExistingEvent> = specs
        .iter()
        .map(|s| (s.name.to_ascii_uppercase(), s))
        .collect();
    #[derive(Default)]
    struct Row {
        documented: usize,
        specs: usize,
        hand: usize,
        loose: usize,
        todo: usize,
    }
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, (rel, ev)) in &refs {
        let row = rows.entry(ev.folder.clone()).or_default();
        row.documented += 1;
        if !by_name.contains_key(name) {
            missing.push(format!("- `{name}` ({rel}): no spec"));
        }
    }
    for s in &specs {
        let folder = s
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        let row = rows.entry(folder).or_default();
        row.specs += 1;
        if !s.imported {
            row.hand += 1;
        }
        if !s.todo.is_empty() {
            row.loose += 1;
            row.todo += s.todo.len();
        }
    }
    let mut t = String::from(
        "# Event coverage\n\nWritten by `bitrix-specs coverage`: the events the reference documents (`api-reference/**/events/`, \
         one per page or per section of a family page) against `events/`.\n\n\
         | folder | documented | specs | by hand | loose | todo points |\n|---|---|---|---|---|---|\n",
    );
    let mut total = Row::default();
    for (folder, r) in &rows {
        let _ = writeln!(
            t,
            "| `{folder}` | {} | {} | {} | {} | {} |",
            r.documented, r.specs, r.hand, r.loose, r.todo
        );
        total.documented += r.documented;
        total.specs += r.specs;
        total.hand += r.hand;
        total.loose += r.loose;
        total.todo += r.todo;
    }
    let _ = writeln!(
        t,
        "| all | {} | {} | {} | {} | {} |\n\nEvent pages: {}; events on them: {}.",
        total.documented,
        total.specs,
        total.hand,
        total.loose,
        total.todo,
        found.pages.len(),
        refs.len()
    );
    t.push_str("\n## Documented events without a spec\n\n");
    if missing.is_empty() {
        t.push_str("None.\n");
    }
    for m in &missing {
        let _ = writeln!(t, "{m}");
    }
    t.push_str("\n## Pages in event folders that are not imported\n\n");
    for (p, why) in &found.skipped {
        let _ = writeln!(t, "- {p}: {why}");
    }
    let path = dir.join("COVERAGE.md");
    bitrix_codegen::write::write_atomic(&path, &t)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

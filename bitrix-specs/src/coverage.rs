//! `bitrix-specs coverage`: `COVERAGE.md`, per family (spec folder): reference pages, specs,
//! finished by hand, loose (with open todo points), and pages not imported with the reason.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::discover::{discover, folder_of};
use crate::docs::Docs;
use crate::existing::read_all;

#[derive(Default)]
struct Family {
    pages: usize,
    v3_pages: usize,
    specs: usize,
    v3_specs: usize,
    hand: usize,
    loose: usize,
    todo: usize,
    missing: Vec<String>,
    skipped: Vec<String>,
    no_example: Vec<String>,
}

/// Writes `<specs>/COVERAGE.md` and returns its path.
pub fn coverage(docs_dir: &Path, specs: &Path) -> Result<PathBuf, String> {
    let docs = Docs::load(docs_dir).map_err(|e| e.to_string())?;
    let found = discover(&docs);
    let (existing, problems) = read_all(specs);
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let mut fam: BTreeMap<String, Family> = BTreeMap::new();
    let have: BTreeMap<String, &crate::existing::Existing> =
        existing.iter().map(|e| (e.key(), e)).collect();
    for f in &found.found {
        let family = fam.entry(f.folder.clone()).or_default();
        if f.rest == 3 {
            family.v3_pages += 1;
        } else {
            family.pages += 1;
        }
        if !have.contains_key(&f.key()) {
            family.missing.push(format!(
                "`{}` (api-reference/{}): no valid spec",
                f.method, f.rel
            ));
        }
    }
    for e in &existing {
        let folder = e
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let family = fam.entry(folder).or_default();
        if e.value.get("rest").and_then(|r| r.as_i64()) == Some(3) {
            family.v3_specs += 1;
        } else {
            family.specs += 1;
        }
        let examples = e.value.get("examples").and_then(|x| x.as_array());
        if examples.is_none_or(|a| a.is_empty()) {
            family.no_example.push(e.method.clone());
        }
        if !e.imported {
            family.hand += 1;
        } else if !e.todo.is_empty() {
            family.loose += 1;
            family.todo += e.todo.len();
        }
    }
    for s in &found.skipped {
        let folder = match &s.method {
            Some(m) => folder_of(&s.rel, m),
            None => "(unknown)".into(),
        };
        let what = match &s.method {
            Some(m) => format!("`{m}` (api-reference/{}:{}): {}", s.rel, s.line, s.why),
            None => format!("api-reference/{}:{}: {}", s.rel, s.line, s.why),
        };
        let family = fam.entry(folder).or_default();
        if s.why.starts_with("not imported: also REST 2") {
            family.v3_pages += 1;
        }
        family.skipped.push(what);
    }
    let mut t = String::new();
    t.push_str("# Coverage of the REST reference\n\n");
    t.push_str("Written by `bitrix-specs coverage` (do not edit by hand). One row per spec folder: method\n");
    t.push_str("pages in the reference and spec files, each for REST 2 and REST 3.0 (`rest = 3`) apart, specs\n");
    t.push_str("finished by hand (no `origin = \"import\"`), imported specs that are still loose (with open\n");
    t.push_str("`todo` points), and pages not imported.\n\n");
    t.push_str("| family | REST 2 pages | REST 3.0 pages | REST 2 specs | REST 3.0 specs | finished by hand | loose (todo points) | not imported |\n");
    t.push_str("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut total = Family::default();
    for (name, f) in &fam {
        let _ = writeln!(
            t,
            "| {name} | {} | {} | {} | {} | {} | {} ({}) | {} |",
            f.pages,
            f.v3_pages,
            f.specs,
            f.v3_specs,
            f.hand,
            f.loose,
            f.todo,
            f.missing.len() + f.skipped.len()
        );
        total.pages += f.pages;
        total.v3_pages += f.v3_pages;
        total.specs += f.specs;
        total.v3_specs += f.v3_specs;
        total.hand += f.hand;
        total.loose += f.loose;
        total.todo += f.todo;
        total.skipped.extend(f.skipped.iter().cloned());
        total.missing.extend(f.missing.iter().cloned());
    }
    let _ = writeln!(
        t,
        "| **all** | {} | {} | {} | {} | {} | {} ({}) | {} |",
        total.pages,
        total.v3_pages,
        total.specs,
        total.v3_specs,
        total.hand,
        total.loose,
        total.todo,
        total.missing.len() + total.skipped.len()
    );
    t.push_str("\n## Not imported, and why\n\n");
    for (name, f) in &fam {
        if f.missing.is_empty() && f.skipped.is_empty() {
            continue;
        }
        let _ = writeln!(t, "### {name}\n");
        for m in f.missing.iter().chain(&f.skipped) {
            let _ = writeln!(t, "- {m}");
        }
        t.push('\n');
    }
    let no_example: Vec<&String> = fam.values().flat_map(|f| &f.no_example).collect();
    if !no_example.is_empty() {
        let _ = writeln!(
            t,
            "## Specs without an example ({})\n\nThe reference gives no example these specs could keep (none, or none that validates);\nthe SDK's example test wants at least one per spec.\n",
            no_example.len()
        );
        for m in no_example {
            let _ = writeln!(t, "- `{m}`");
        }
        t.push('\n');
    }
    if !found.notes.is_empty() {
        t.push_str("## Pages whose title and cURL example name different methods\n\n");
        for n in &found.notes {
            let _ = writeln!(t, "- {n}");
        }
        t.push('\n');
    }
    if !found.repaired.is_empty() {
        t.push_str("## Table defects read as meant\n\n");
        t.push_str(
            "The importer reads these tables despite a missing `||` or a stray list marker.\n\n",
        );
        for r in &found.repaired {
            let _ = writeln!(t, "- {r}");
        }
        t.push('\n');
    }
    let path = specs.join("COVERAGE.md");
    crate::write::write_atomic(&path, &t).map_err(|e| e.to_string())?;
    Ok(path)
}

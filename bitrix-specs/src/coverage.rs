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
    any: usize,
    recorded: BTreeMap<String, usize>,
    missing: Vec<String>,
    skipped: Vec<String>,
    no_example: Vec<String>,
}

/// Writes `<specs>/COVERAGE.md` and returns its path.
pub fn coverage(docs_dir: &Path, specs: &Path) -> Result<PathBuf, String> {
    coverage_with(docs_dir, specs, None)
}

/// [`coverage`], also listing per family the methods that answers recorded from live portals
/// (`recorded`: a folder of `*.json` cases with `method`, or `inner_method` for a batch) check.
pub fn coverage_with(
    docs_dir: &Path,
    specs: &Path,
    recorded: Option<&Path>,
) -> Result<PathBuf, String> {
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
        family.any += crate::stats::any_in(&e.value);
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
    let mut checked = 0;
    for (method, answers) in recorded.map(recorded_methods).unwrap_or_default() {
        // A REST 3.0 method is `method@v3` when it has a REST 2 twin, `method` otherwise.
        let lower = method.to_ascii_lowercase();
        let Some(e) = have.get(&lower).or_else(|| {
            lower
                .strip_suffix("@v3")
                .and_then(|m| have.get(m))
                .filter(|e| e.value.get("rest").and_then(|r| r.as_i64()) == Some(3))
        }) else {
            continue;
        };
        let folder = e
            .path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        fam.entry(folder)
            .or_default()
            .recorded
            .insert(e.method.clone(), answers);
        checked += 1;
    }
    let mut t = String::new();
    t.push_str("# Coverage of the REST reference\n\n");
    t.push_str("Written by `bitrix-specs coverage` (do not edit by hand). One row per spec folder: method\n");
    t.push_str("pages in the reference and spec files, each for REST 2 and REST 3.0 (`rest = 3`) apart, specs\n");
    t.push_str("finished by hand (no `origin = \"import\"`), imported specs that are still loose (with open\n");
    t.push_str("`todo` points), parameters, struct fields and results still typed `any` (all specs), methods\n");
    t.push_str("checked against answers recorded from live portals, and pages not imported.\n\n");
    t.push_str("| family | REST 2 pages | REST 3.0 pages | REST 2 specs | REST 3.0 specs | finished by hand | loose (todo points) | typed `any` | checked against real answers | not imported |\n");
    t.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    let mut total = Family::default();
    for (name, f) in &fam {
        let _ = writeln!(
            t,
            "| {name} | {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} |",
            f.pages,
            f.v3_pages,
            f.specs,
            f.v3_specs,
            f.hand,
            f.loose,
            f.todo,
            f.any,
            f.recorded.len(),
            f.missing.len() + f.skipped.len()
        );
        total.any += f.any;
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
        "| **all** | {} | {} | {} | {} | {} | {} ({}) | {} | {checked} | {} |",
        total.pages,
        total.v3_pages,
        total.specs,
        total.v3_specs,
        total.hand,
        total.loose,
        total.todo,
        total.any,
        total.missing.len() + total.skipped.len()
    );
    if checked > 0 {
        t.push_str("\n## Checked against real answers\n\n");
        t.push_str("Methods with answers recorded from live portals (`tests/recorded/`); `cargo test -p bitrix-rest --test api recorded`\n");
        t.push_str("decodes each through the method's generated types. The figure is the number of recorded cases (a batch case holds several answers).\n\n");
        for (name, f) in &fam {
            if f.recorded.is_empty() {
                continue;
            }
            let list: Vec<String> = f
                .recorded
                .iter()
                .map(|(m, n)| format!("`{m}` ({n})"))
                .collect();
            let _ = writeln!(t, "- **{name}**: {}", list.join(", "));
        }
    }
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
    bitrix_codegen::write::write_atomic(&path, &t).map_err(|e| e.to_string())?;
    Ok(path)
}

/// Method name to the number of recorded answers for it (a batch case counts its commands'
/// method once per case).
fn recorded_methods(dir: &Path) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let Some(case) = std::fs::read(&p)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        else {
            continue;
        };
        let rest = case.get("rest").and_then(|r| r.as_u64()).unwrap_or(2);
        let method = case
            .get("inner_method")
            .or_else(|| case.get("method"))
            .and_then(|m| m.as_str());
        if let Some(m) = method {
            // Portals find method names in any case.
            let m = m.to_ascii_lowercase();
            let key = if rest == 3 { format!("{m}@v3") } else { m };
            *out.entry(key).or_insert(0) += 1;
        }
    }
    out
}

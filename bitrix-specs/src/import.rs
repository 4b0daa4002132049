//! `bitrix-specs import`: every REST 2 and REST 3.0 method page to a spec file, never touching specs that
//! were finished by hand.

use std::collections::BTreeMap;
use std::path::Path;

use crate::build::build;
use crate::check::{settle, validator_mode};
use crate::discover::{discover, Discovery};
use crate::docs::Docs;
use crate::existing::read_all;
use crate::keep;
use bitrix_codegen::write::{merge, remove, save};

/// Counts and messages of one import run.
#[derive(Debug, Default)]
pub struct Report {
    /// Pages below `api-reference/`.
    pub pages: usize,
    /// Method pages found (REST 2 and REST 3.0).
    pub methods: usize,
    /// Of those, REST 3.0 pages.
    pub v3_methods: usize,
    /// Of the written specs, REST 3.0 ones (`rest = 3`).
    pub v3_written: usize,
    /// Todo points in written REST 3.0 specs.
    pub v3_todo_points: usize,
    /// Specs written or already up to date (validated).
    pub written: usize,
    /// Of those, files that changed.
    pub changed: usize,
    /// Methods whose spec is finished by hand and was left alone.
    pub hand: usize,
    /// Written specs with at least one todo point.
    pub loose: usize,
    /// Todo points in written specs.
    pub todo_points: usize,
    /// Methods whose spec could not be made valid: `page: problem`.
    pub failed: Vec<String>,
    /// Pages skipped, as `page:line: what`.
    pub skipped: Vec<String>,
    /// Other remarks (name disagreements).
    pub notes: Vec<String>,
    /// Table defects read past, as `page:line: what`.
    pub repaired: Vec<String>,
}

/// Imports the reference at `docs_dir` into `out`. `print`: report each point on stderr.
pub fn import(docs_dir: &Path, out: &Path, print: bool) -> Result<Report, String> {
    let docs = Docs::load(docs_dir).map_err(|e| e.to_string())?;
    let found = discover(&docs);
    run(&docs, &found, out, print)
}

/// Imports what `found` lists.
pub fn run(docs: &Docs, found: &Discovery, out: &Path, print: bool) -> Result<Report, String> {
    let mode = validator_mode();
    let (existing, problems) = read_all(out);
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let by_method: BTreeMap<String, &crate::existing::Existing> =
        existing.iter().map(|e| (e.key(), e)).collect();
    let mut report = Report {
        pages: docs.pages.len(),
        methods: found.found.len(),
        v3_methods: found.found.iter().filter(|f| f.rest == 3).count(),
        notes: found.notes.clone(),
        repaired: found.repaired.clone(),
        ..Report::default()
    };
    for s in &found.skipped {
        report
            .skipped
            .push(format!("api-reference/{}:{}: {}", s.rel, s.line, s.why));
    }
    for f in &found.found {
        if let Some(e) = by_method.get(&f.key()) {
            if !e.imported {
                report.hand += 1;
                continue;
            }
        }
        let Some(page) = docs.pages.get(&f.rel) else {
            continue;
        };
        let mut spec = build(docs, page, &f.method, &f.scope, f.rest);
        spec.twin = f.twin;
        let old = by_method.get(&f.key()).map(|e| {
            keep::prepare(&mut spec, &e.value);
            e.text.as_str()
        });
        let text = match settle(&mut spec, mode) {
            Ok(t) => t,
            Err(problems) => {
                report
                    .failed
                    .push(format!("api-reference/{}: {}", f.rel, problems.join("; ")));
                continue;
            }
        };
        let text = match old.map(|o| kept(o, &text, &spec)) {
            Some(Err(problem)) => {
                report
                    .failed
                    .push(format!("api-reference/{}: {problem}", f.rel));
                continue;
            }
            Some(Ok(merged)) => merged,
            None => text,
        };
        let path = out.join(&f.folder).join(format!("{}.toml", spec.stem()));
        if let Some(e) = by_method.get(&f.key()).filter(|e| e.path != path) {
            remove(&e.path).map_err(|err| format!("{}: {err}", e.path.display()))?;
        }
        if save(&path, &text).map_err(|e| format!("{}: {e}", path.display()))? {
            report.changed += 1;
        }
        report.written += 1;
        if f.rest == 3 {
            report.v3_written += 1;
            report.v3_todo_points += spec.todo.len();
        }
        if !spec.todo.is_empty() {
            report.loose += 1;
            report.todo_points += spec.todo.len();
            if print {
                for p in &spec.todo {
                    eprintln!("api-reference/{}: {}: {p}", f.rel, f.method);
                }
            }
        }
    }
    if print {
        for n in &report.notes {
            eprintln!("{n}");
        }
        for r in &report.repaired {
            eprintln!("{r} (read as meant)");
        }
        for s in &report.skipped {
            eprintln!("{s}");
        }
        for s in &report.failed {
            eprintln!("{s}");
        }
    }
    Ok(report)
}

/// The importer's `text` with what the spec it replaces (`old`) carries beyond the importer's
/// keys, validated again.
fn kept(old: &str, text: &str, spec: &bitrix_codegen::write::Spec) -> Result<String, String> {
    let merged = merge(old, text)?;
    let display = format!("{}/{}.toml", spec.scope, spec.stem());
    bitrix_codegen::parse_spec(&bitrix_codegen::SpecSource::new(display, merged.clone())).map_err(
        |problems| {
            let p: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            format!("with the keys of the spec it replaces: {}", p.join("; "))
        },
    )?;
    Ok(merged)
}

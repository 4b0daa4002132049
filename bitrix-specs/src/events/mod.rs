//! Event specs from the reference: `import-events` writes `events/<folder>/<EVENT>.toml` for every
//! event page (facts only: the name, scope, the `data` keys and their types, the documented `auth`
//! keys, the example body), and `drift` and `coverage` compare the reference with `events/`.
//!
//! As for methods, a spec without `origin = "import"` is finished by hand and never overwritten,
//! and what the importer cannot decide is kept as a `todo` point.

pub mod build;
pub mod discover;
pub mod fit;
pub mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use bitrix_codegen::write::{event, remove, save};

use crate::docs::Docs;
use discover::{discover, words_of, Discovery};

/// Counts and messages of one event import.
#[derive(Debug, Default)]
pub struct Report {
    /// Event pages of the reference (family pages once).
    pub pages: usize,
    /// Events they document.
    pub events: usize,
    /// Specs written or already up to date (valid).
    pub written: usize,
    /// Of those, files that changed.
    pub changed: usize,
    /// Events whose spec is finished by hand and was left alone.
    pub hand: usize,
    /// Fields with a type other than `any`, in written specs (payload and types).
    pub typed_fields: usize,
    /// Fields typed `any`.
    pub any_fields: usize,
    /// Written specs with at least one todo point.
    pub loose: usize,
    /// Todo points in written specs.
    pub todo_points: usize,
    /// Events whose spec did not validate: `page: problem`.
    pub failed: Vec<String>,
    /// Pages in event folders that are not event pages: `page: why`.
    pub skipped: Vec<String>,
}

/// An event spec already in the folder.
#[derive(Debug, Clone)]
pub struct ExistingEvent {
    /// Where it is.
    pub path: PathBuf,
    /// Its `event`.
    pub name: String,
    /// `origin = "import"`.
    pub imported: bool,
    /// Its todo points.
    pub todo: Vec<String>,
    /// The whole spec as JSON.
    pub value: Value,
}

/// Reads every event spec below `dir` (none when it does not exist).
pub fn existing(dir: &Path) -> Result<Vec<ExistingEvent>, String> {
    let mut out = Vec::new();
    let sources = bitrix_codegen::load_dir_if_present(dir).map_err(|p| {
        p.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })?;
    for s in sources {
        let value =
            bitrix_codegen::read::raw(&s.text).map_err(|e| format!("{}: {e}", s.display))?;
        let Some(name) = value.get("event").and_then(Value::as_str) else {
            return Err(format!("{}: no `event`", s.display));
        };
        out.push(ExistingEvent {
            path: s.path.clone(),
            name: name.to_string(),
            imported: value.get("origin").and_then(Value::as_str) == Some("import"),
            todo: value
                .get("todo")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|t| t.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            value,
        });
    }
    Ok(out)
}

/// The folder (module and Cargo feature) of an event: its scope's method folder, else the
/// reference's section it sits in.
pub fn folder_of(rel: &str, scope: Option<&str>) -> String {
    let by_scope = scope.and_then(|s| match s {
        "basic" | "app" => Some("core"),
        "sonet" | "sonet_group" | "socialnetwork" => Some("sonet_group"),
        "crm" | "catalog" | "booking" | "calendar" | "sale" | "imbot" | "im" | "imconnector"
        | "imopenlines" | "log" | "sign" | "task" | "telephony" | "user" => Some(s),
        _ => None,
    });
    if let Some(f) = by_scope {
        return f.to_string();
    }
    let first = rel.split('/').next().unwrap_or("");
    match first {
        "common" | "events" => "core",
        "sonet-group" => "sonet_group",
        "tasks" => "task",
        "imopenlines" if rel.starts_with("imopenlines/imconnector/") => "imconnector",
        "chat-bots" if rel.contains("/im.v2/") => "im",
        "chat-bots" => "imbot",
        other => other,
    }
    .replace('-', "_")
}

/// Loads the reference, with the tables that give the type in a column of its own
/// (`Field | Type | Description`, the v2 chat pages) rewritten in the usual form (the type under
/// the name), so that the field reader sees one layout.
pub fn load(docs_dir: &Path) -> Result<Docs, String> {
    let mut docs = Docs::load(docs_dir).map_err(|e| e.to_string())?;
    for page in docs.pages.values_mut() {
        for b in &mut page.blocks {
            if let crate::markdown::Block::Table(t) = b {
                let split =
                    t.header.len() >= 3 && t.header.get(1).is_some_and(|h| h.starts_with("type"));
                if !split {
                    continue;
                }
                t.header.remove(1);
                for r in &mut t.rows {
                    if r.cells.len() >= 2 {
                        let ty = r.cells.remove(1);
                        r.cells[0] = format!("{}\n{ty}", r.cells[0]);
                    }
                }
            }
        }
    }
    Ok(docs)
}

/// Imports the reference's events into `out`. `print`: report each point on stderr.
pub fn import(docs_dir: &Path, out: &Path, print: bool) -> Result<Report, String> {
    let docs = load(docs_dir)?;
    let found = discover(&docs);
    run(&docs, &found, out, print)
}

/// Imports what `found` lists.
pub fn run(docs: &Docs, found: &Discovery, out: &Path, print: bool) -> Result<Report, String> {
    let existing = existing(out)?;
    let by_name: BTreeMap<String, &ExistingEvent> = existing
        .iter()
        .map(|e| (e.name.to_ascii_uppercase(), e))
        .collect();
    let mut report = Report {
        pages: found.pages.len(),
        events: found.events.len(),
        skipped: found
            .skipped
            .iter()
            .map(|(p, why)| format!("{p}: {why}"))
            .collect(),
        ..Report::default()
    };
    // Words of the Rust names the pages spell out, to cut the names no page spells.
    let mut words: Vec<String> = Vec::new();
    for f in &found.events {
        if let Some(page) = docs.pages.get(&f.rel) {
            let stem = page
                .rel
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".md");
            words.extend(words_of(&discover::pascal(stem)));
            if let Some(t) = discover::title_event(page) {
                words.extend(words_of(&discover::pascal(&t)));
            }
        }
    }
    words.extend(["v2", "im", "bot"].iter().map(|s| s.to_string()));
    words.retain(|w| w.len() > 1 || w == "v");
    words.sort();
    words.dedup();
    let mut seen = std::collections::BTreeSet::new();
    for f in &found.events {
        if !seen.insert(f.name.clone()) {
            continue;
        }
        let Some(page) = docs.pages.get(&f.rel) else {
            continue;
        };
        if let Some(e) = by_name.get(&f.name) {
            if !e.imported {
                report.hand += 1;
                continue;
            }
        }
        let folder = folder_of(&f.rel, page.scope.as_deref());
        let rust = discover::rust_name(&f.name, page, f.anchor.is_some(), &words);
        let ev = build::build(docs, page, f, rust, &folder);
        let kept = by_name.get(&f.name).and_then(|e| e.value.get("raise"));
        let text = event::with_raise(event::render(&ev), kept);
        let display = format!("{folder}/{}.toml", ev.name);
        let source = bitrix_codegen::SpecSource::below_root(display.clone(), text.clone());
        if let Err(problems) = bitrix_codegen::events::parse_event(&source) {
            let p = problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            report.failed.push(format!("{}: {p}", f.rel));
            if print {
                eprintln!("failed {}: {p}", f.rel);
            }
            continue;
        }
        let path = out.join(&folder).join(format!("{}.toml", ev.name));
        // A spec of the same event in another folder (the folder rule changed) is replaced.
        if let Some(old) = by_name.get(&f.name).filter(|e| e.path != path) {
            remove(&old.path).map_err(|e| format!("{}: {e}", old.path.display()))?;
        }
        if save(&path, &text).map_err(|e| format!("{}: {e}", path.display()))? {
            report.changed += 1;
        }
        report.written += 1;
        let all = ev
            .fields
            .iter()
            .chain(ev.types.iter().flat_map(|t| t.fields.iter()));
        for fl in all {
            if fl.ty.contains("any") {
                report.any_fields += 1;
            } else {
                report.typed_fields += 1;
            }
        }
        if !ev.todo.is_empty() {
            report.loose += 1;
            report.todo_points += ev.todo.len();
            if print {
                for t in &ev.todo {
                    eprintln!("todo {}: {t}", ev.name);
                }
            }
        }
    }
    Ok(report)
}

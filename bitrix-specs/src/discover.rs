//! Which pages document a REST 2 or a REST 3.0 method, under which name, and in which spec folder it goes.

use std::collections::BTreeMap;

use crate::docs::Docs;
use crate::page::{is_method_name, squash, Page};

/// A method page found in the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Page path below `api-reference/`.
    pub rel: String,
    /// Method name.
    pub method: String,
    /// Spec folder (`crm`, `core`, ...).
    pub folder: String,
    /// Scope from the page.
    pub scope: String,
    /// REST version: 2, or 3 for a page whose examples call `/rest/api/` only.
    pub rest: u8,
    /// A REST 3.0 page of a method the reference also documents for REST 2: its spec is
    /// `<method>@v3.toml`.
    pub twin: bool,
}

impl Found {
    /// The spec file's name without `.toml`, lower-cased: the key specs are matched by.
    pub fn key(&self) -> String {
        bitrix_codegen::write::spec::stem(&self.method, self.twin).to_ascii_lowercase()
    }
}

/// A page that is not imported, and why (`page:line: what`).
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// Page path below `api-reference/`.
    pub rel: String,
    /// Line the reason points at.
    pub line: usize,
    /// The method name, when one was found.
    pub method: Option<String>,
    /// Why.
    pub why: String,
}

/// The outcome of looking at every page.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Method pages, sorted by method name.
    pub found: Vec<Found>,
    /// Method-like pages that are not imported.
    pub skipped: Vec<Skipped>,
    /// Notes such as title/cURL disagreements (`page:line: what`).
    pub notes: Vec<String>,
    /// Defects in the tables of method pages that were read past (`page:line: what`).
    pub repaired: Vec<String>,
}

/// Looks at every page of the reference.
pub fn discover(docs: &Docs) -> Discovery {
    let mut d = Discovery::default();
    // method (lower case) -> (rank, Found); lower rank wins.
    let mut best: BTreeMap<String, (u8, Found)> = BTreeMap::new();
    for page in docs.pages.values() {
        // Overviews, change logs and event lists name methods too, but have neither a scope
        // nor a call example.
        if page.scope.is_none() && page.curl_methods.is_empty() && !page.calls_v3 {
            continue;
        }
        // A REST 3.0 page: its examples call `/rest/api/` and nothing else.
        let v3 = page.calls_v3 && page.curl_methods.is_empty();
        let Some((method, rank)) = name_of(page, v3, &mut d) else {
            continue;
        };
        if !v3 && page.rel.contains("rest-v3") {
            d.skipped.push(skip(page, Some(&method), "REST 3.0 page"));
            continue;
        }
        let folder = folder_of(&page.rel, &method);
        // The project's `core` module holds Bitrix24's `basic` scope (see specs/core).
        let scope = match page.scope.as_deref().map(str::to_ascii_lowercase) {
            Some(s) if s == "basic" && folder == "core" => "core".to_string(),
            None if folder == "core" => "core".to_string(),
            // As written: `sign.b2e` is a permission name, not an identifier.
            Some(s) => s,
            None => {
                d.skipped
                    .push(skip(page, Some(&method), "no `Scope:` line"));
                continue;
            }
        };
        if !is_scope(&scope) {
            d.skipped.push(skip(
                page,
                Some(&method),
                &format!("scope `{scope}` is not a scope name"),
            ));
            continue;
        }
        if let Some((line, what)) = broken_table(page) {
            d.skipped.push(Skipped {
                rel: page.rel.clone(),
                line,
                method: Some(method.clone()),
                why: what,
            });
            continue;
        }
        for b in &page.blocks {
            if let crate::markdown::Block::Table(t) = b {
                for (line, what) in &t.repaired {
                    d.repaired
                        .push(format!("api-reference/{}:{line}: {what}", page.rel));
                }
            }
        }
        if !is_folder(&folder) {
            d.skipped.push(skip(
                page,
                Some(&method),
                &format!("folder `{folder}` is not a folder name"),
            ));
            continue;
        }
        let found = Found {
            rel: page.rel.clone(),
            method: method.clone(),
            folder,
            scope,
            rest: if v3 { 3 } else { 2 },
            twin: false,
        };
        let key = method.to_ascii_lowercase() + if v3 { "@v3" } else { "" };
        match best.get(&key) {
            Some((r, f)) if (*r, f.rel.as_str()) <= (rank, page.rel.as_str()) => {
                let why = format!("documents `{method}` again; {} is used", f.rel);
                d.skipped.push(skip(page, Some(&method), &why));
            }
            Some((_, f)) => {
                let why = format!("documents `{method}` again; {} is used", page.rel);
                let loser = f.rel.clone();
                d.skipped.push(Skipped {
                    rel: loser,
                    line: 1,
                    method: Some(f.method.clone()),
                    why,
                });
                best.insert(key, (rank, found));
            }
            None => {
                best.insert(key, (rank, found));
            }
        }
    }
    // A method documented for both versions gets two specs: `name.toml` and `name@v3.toml`.
    let twins: Vec<String> = best
        .keys()
        .filter(|k| k.ends_with("@v3") && best.contains_key(k.trim_end_matches("@v3")))
        .cloned()
        .collect();
    for k in twins {
        if let Some((_, f)) = best.get_mut(&k) {
            f.twin = true;
        }
    }
    d.found = best.into_values().map(|(_, f)| f).collect();
    d.found
        .sort_by(|a, b| (&a.method, a.rest).cmp(&(&b.method, b.rest)));
    d.skipped
        .sort_by(|a, b| (&a.rel, a.line).cmp(&(&b.rel, b.line)));
    d.repaired.sort();
    d
}

fn skip(page: &Page, method: Option<&str>, why: &str) -> Skipped {
    Skipped {
        rel: page.rel.clone(),
        line: page.title.as_ref().map_or(1, |t| t.1),
        method: method.map(str::to_string),
        why: why.to_string(),
    }
}

/// The method a page documents and how sure that is (0: title and cURL agree or the title alone,
/// 1: the title loses to the cURL address, 2: cURL only).
fn name_of(page: &Page, v3: bool, d: &mut Discovery) -> Option<(String, u8)> {
    let stem = squash(
        page.rel
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md"),
    );
    let title = page.title_method();
    let calls = if v3 {
        &page.v3_methods
    } else {
        &page.curl_methods
    };
    let curls: Vec<&(String, usize)> = calls.iter().collect();
    let title_line = page.title.as_ref().map_or(1, |t| t.1);
    if page.rel.split('/').any(|s| s == "events") && title.is_none() {
        return None;
    }
    match title {
        Some(t) => {
            if curls.is_empty() || curls.iter().any(|(c, _)| c.eq_ignore_ascii_case(&t)) {
                return Some((t, 0));
            }
            let fits = |n: &str| squash(n) == stem || squash(n).ends_with(&stem);
            let curl = curls.iter().find(|(c, _)| fits(c));
            match curl {
                Some((c, line)) if !fits(&t) => {
                    d.notes.push(format!(
                        "api-reference/{}:{}: title names `{t}` but the cURL example (line {line}) calls `{c}`; the cURL address wins (it matches the file name)",
                        page.rel, title_line
                    ));
                    Some((c.clone(), 1))
                }
                _ => {
                    let (c, line) = curls[0];
                    d.notes.push(format!(
                        "api-reference/{}:{}: title names `{t}` but the cURL example (line {line}) calls `{c}`; the title wins",
                        page.rel, title_line
                    ));
                    Some((t, 0))
                }
            }
        }
        None => {
            // No name in the title: a page named after the one method its examples call.
            let mut names: Vec<&String> = curls.iter().map(|(c, _)| c).collect();
            names.dedup();
            match names.as_slice() {
                [one]
                    if is_method_name(one)
                        && !stem.is_empty()
                        && (squash(one) == stem || squash(one).ends_with(&stem)) =>
                {
                    Some(((*one).clone(), 2))
                }
                _ => None,
            }
        }
    }
}

/// The first broken table among those the importer reads (parameters, answer, errors).
fn broken_table(page: &Page) -> Option<(usize, String)> {
    if page.title.is_none() {
        return Some((1, "page has no `# ` title".into()));
    }
    let sections = [
        page.section(|h| h.contains("parameter") && !h.contains("event")),
        page.section(|h| {
            (h.contains("response") || h.contains("returned") || h.contains("success"))
                && !h.contains("error")
        }),
        page.section(|h| h.contains("error")),
    ];
    sections
        .iter()
        .flat_map(|s| s.iter())
        .find_map(|b| match b {
            crate::markdown::Block::Table(t) => t.broken.clone(),
            _ => None,
        })
}

/// The spec folder of a method.
pub fn folder_of(rel: &str, method: &str) -> String {
    const CORE: &[&str] = &["app.info", "method.get", "methods", "profile", "scope"];
    if rel.starts_with("common/") || method.starts_with("event.") || CORE.contains(&method) {
        return "core".into();
    }
    method
        .split('.')
        .next()
        .unwrap_or(method)
        .to_ascii_lowercase()
}

/// A scope as the reference writes it: folder-like words joined by `.` (`sign.b2e`).
pub fn is_scope(s: &str) -> bool {
    s.split('.').all(is_folder)
}

/// Lower-case letters, digits and `_`: a folder (and module) name.
pub fn is_folder(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

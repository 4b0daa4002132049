//! The reference on disk: every page below `api-reference/`, parsed once, and link resolution.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::page::Page;

/// All pages of a reference checkout.
pub struct Docs {
    /// The folder holding `api-reference/` and `_includes/`.
    pub root: PathBuf,
    /// Pages by their path below `api-reference/`.
    pub pages: BTreeMap<String, Page>,
    /// Code and message of each shared system error (not repeated in specs).
    pub system_codes: Vec<(String, String)>,
    /// HTTP status of each REST 3.0 error code the overview (`rest-v3.md`) lists.
    pub v3_statuses: Vec<(String, u16)>,
}

impl Docs {
    /// Reads every `.md` file below `root/api-reference`.
    pub fn load(root: &Path) -> std::io::Result<Docs> {
        let base = root.join("api-reference");
        if !base.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} has no api-reference/ folder", root.display()),
            ));
        }
        let mut files = Vec::new();
        collect(&base, &mut files)?;
        files.sort();
        let mut pages = BTreeMap::new();
        for f in files {
            let rel = f
                .strip_prefix(&base)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&f)?;
            let text = expand_includes(&rel, &text, &base);
            pages.insert(rel.clone(), Page::parse(&rel, &text));
        }
        let system_codes = std::fs::read_to_string(root.join("_includes/system-errors.md"))
            .map(|t| system_codes(&t))
            .unwrap_or_default();
        let v3_statuses = pages.get("rest-v3.md").map(v3_statuses).unwrap_or_default();
        Ok(Docs {
            root: root.to_path_buf(),
            pages,
            system_codes,
            v3_statuses,
        })
    }

    /// The page and anchor a link on page `from` points to (`#x` stays on `from`).
    pub fn resolve<'a>(&'a self, from: &str, target: &str) -> Option<(&'a Page, Option<String>)> {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a.to_string())),
            None => (target, None),
        };
        let rel = if path.is_empty() {
            from.to_string()
        } else {
            join(from, path)?
        };
        self.pages.get(&rel).map(|p| (p, anchor))
    }
}

/// Replaces `{% include [..](path) %}` lines that point inside `api-reference/` (field tables
/// shared by several pages) with the snippet's text. The shared snippets of the root
/// `_includes/` (notes, system errors) are left as they are: specs do not repeat them.
pub fn expand_includes(rel: &str, text: &str, base: &Path) -> String {
    if !text.contains("{% include") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let t = line.trim();
        let snippet = t
            .starts_with("{% include")
            .then(|| crate::markdown::links(t).into_iter().next())
            .flatten()
            .and_then(|l| join(rel, &l.target))
            .and_then(|p| std::fs::read_to_string(base.join(p)).ok());
        match snippet {
            Some(s) => {
                out.push_str(&s);
                if !s.ends_with('\n') {
                    out.push('\n');
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// `crm/deals/a.md` + `../universal/b.md` -> `crm/universal/b.md`.
pub fn join(from: &str, target: &str) -> Option<String> {
    if target.contains("://") {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    Ok(())
}

/// `Code | HTTP status | ...` tables of the REST 3.0 overview.
fn v3_statuses(page: &Page) -> Vec<(String, u16)> {
    let mut out: Vec<(String, u16)> = Vec::new();
    for b in &page.blocks {
        let crate::markdown::Block::Table(t) = b else {
            continue;
        };
        let (Some(c), Some(s)) = (t.column("code"), t.column("status")) else {
            continue;
        };
        for r in &t.rows {
            let code = r
                .cells
                .get(c)
                .and_then(|x| crate::markdown::code_spans(x).into_iter().next());
            let status = r
                .cells
                .get(s)
                .and_then(|x| crate::markdown::plain(x).trim().parse::<u16>().ok());
            if let (Some(code), Some(status)) = (code, status) {
                let code = code.trim().to_string();
                if !out.iter().any(|(k, _)| *k == code) {
                    out.push((code, status));
                }
            }
        }
    }
    out
}

fn system_codes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for b in crate::markdown::blocks(text) {
        if let crate::markdown::Block::Table(t) = b {
            let Some(col) = t.column("code") else {
                continue;
            };
            for r in &t.rows {
                if let Some(c) = r.cells.get(col) {
                    let code = crate::markdown::code_spans(c).into_iter().next();
                    let message = c.lines().skip(1).collect::<Vec<_>>().join(" ");
                    if let Some(code) = code {
                        out.push((code.trim().to_string(), message.trim().to_string()));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn joins() {
        assert_eq!(
            super::join("crm/deals/a.md", "../universal/b.md").as_deref(),
            Some("crm/universal/b.md")
        );
        assert_eq!(super::join("a.md", "../b.md"), None);
    }
}

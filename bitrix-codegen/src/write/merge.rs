//! Writing a spec over the file it replaces: the writer's text, with every key of the old file
//! that the writer does not write put back as it was written there (comments and layout of a kept
//! value included). Imported specs are finished further by hand and by other tools (`auth`,
//! `param_case`, `[state]` facts, `[[reviewed]]` rows, descriptions in our words); a re-import
//! must not lose them. `[state]` belongs to whoever wrote it once a spec has one.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::toml::key as bare_or_quoted;

/// Top-level keys the writer writes.
const TOP: &[&str] = &[
    "method",
    "scope",
    "rest",
    "origin",
    "docs",
    "idempotent",
    "todo",
    "deprecated",
    "state",
    "params",
    "types",
    "result",
    "errors",
    "examples",
];
/// Keys of a parameter or struct field the writer writes.
const FIELD: &[&str] = &["name", "type", "required"];
/// Keys of `[types.<Name>]` the writer writes.
const TYPE: &[&str] = &["values", "fields"];
/// Keys of an enum value the writer writes.
const VALUE: &[&str] = &["value"];
/// Keys of `[result]` the writer writes.
const RESULT: &[&str] = &["type", "paged", "items"];
/// Keys of an `[[errors]]` row the writer writes.
const ERROR: &[&str] = &["code", "description", "status", "variant"];
/// Keys of an `[[examples]]` entry the writer writes.
const EXAMPLE: &[&str] = &["name", "request", "status", "response"];
/// Keys of `[deprecated]` the writer writes.
const DEPRECATED: &[&str] = &["replacement"];

type Table<'i> = DeTable<'i>;
type Item<'i> = Spanned<DeValue<'i>>;

/// `new` (the writer's text) with everything of `old` (the file it replaces) the writer does
/// not write put back: unknown keys next to the key they followed, unknown tables (`[[reviewed]]`)
/// at the end, and `[state]` as a whole.
pub fn merge(old: &str, new: &str) -> Result<String, String> {
    let old_doc = DeTable::parse(old).map_err(|e| format!("old spec: {}", e.message()))?;
    let new_doc = DeTable::parse(new).map_err(|e| format!("new spec: {}", e.message()))?;
    let (o, n) = (old_doc.get_ref(), new_doc.get_ref());
    let old_heads = headers(o);
    let new_heads = headers(n);
    let mut m = Merge {
        old,
        new,
        edits: Vec::new(),
    };
    let top_start = n
        .iter()
        .map(|(k, _)| k.span().start)
        .min()
        .map(|p| line_start(new, p))
        .unwrap_or(0);
    m.keys(o, n, TOP, top_start);

    if get(o, "state").is_some_and(|v| !inline(o, "state", v)) {
        let text = section(old, &old_heads, "state");
        match get(n, "state").filter(|v| !inline(n, "state", v)) {
            Some(_) => {
                let range = section_range(new, &new_heads, "state");
                // Up to the section's last line: the blank line before the next table stays.
                let end = range.start + new[range.clone()].trim_end().len() + 1;
                m.edits.push((range.start, end.min(range.end), text));
            }
            None => {
                let at = new_heads
                    .iter()
                    .find(|(_, path)| path != "deprecated")
                    .map(|(r, _)| r.start)
                    .unwrap_or(new.len());
                m.edits.push((at, at, text + "\n"));
            }
        }
    }
    if let (Some(ot), Some(nt)) = (table(o, "deprecated"), table(n, "deprecated")) {
        let at = header_end(new, &new_heads, "deprecated");
        m.keys(ot, nt, DEPRECATED, at);
    }
    if let (Some(ot), Some(nt)) = (table(o, "result"), table(n, "result")) {
        let at = header_end(new, &new_heads, "result");
        m.keys(ot, nt, RESULT, at);
    }
    m.entries(o, n, "params", FIELD, &["name"]);
    m.entries(o, n, "errors", ERROR, &["code", "description"]);
    m.entries(o, n, "examples", EXAMPLE, &["name"]);
    if let (Some(ot), Some(nt)) = (table(o, "types"), table(n, "types")) {
        for (k, ov) in ot.iter() {
            let name = k.get_ref().as_ref();
            let (Some(oty), Some(nty)) = (ov.get_ref().as_table(), table(nt, name)) else {
                continue;
            };
            let path = format!("types.{name}");
            let at = header_end(new, &new_heads, &path);
            m.keys(oty, nty, TYPE, at);
            m.entries(oty, nty, "fields", FIELD, &["name"]);
            m.values(oty, nty);
        }
    }

    // Tables of their own that the writer does not write, such as `[[reviewed]]`.
    let mut tail = String::new();
    for (k, v) in o.iter() {
        let key = k.get_ref().as_ref();
        if TOP.contains(&key) || inline(o, key, v) {
            continue;
        }
        tail.push('\n');
        tail.push_str(&section(old, &old_heads, key));
    }
    if !tail.is_empty() {
        m.edits.push((new.len(), new.len(), tail));
    }
    Ok(m.apply())
}

struct Merge<'a> {
    old: &'a str,
    new: &'a str,
    /// `(start, end, text)`: the new text's `start..end` is replaced by `text`.
    edits: Vec<(usize, usize, String)>,
}

impl Merge<'_> {
    /// Copies the inline keys of `o` not in `known` into `n`, each after the known key it
    /// followed in `o` (or at `fallback` when it preceded them all).
    fn keys(&mut self, o: &Table<'_>, n: &Table<'_>, known: &[&str], fallback: usize) {
        let mut anchor = fallback;
        for (k, v) in o.iter() {
            let key = k.get_ref().as_ref();
            if known.contains(&key) {
                if let Some(nv) = get(n, key).filter(|nv| inline(n, key, nv)) {
                    anchor = line_end(self.new, nv.span().end);
                }
                continue;
            }
            if !inline(o, key, v) {
                continue;
            }
            // The value as written, with the comment after it on its line.
            let end = line_end(self.old, v.span().end);
            let value = self.old[v.span().start..end].trim_end();
            let line = format!("{} = {value}\n", bare_or_quoted(key));
            self.edits.push((anchor, anchor, line));
        }
    }

    /// For each entry of the array of tables `name` in `o`, the entry of `n` with the same
    /// identity (`id` keys) gets the entry's unknown keys.
    fn entries(&mut self, o: &Table<'_>, n: &Table<'_>, name: &str, known: &[&str], id: &[&str]) {
        let (Some(oa), Some(na)) = (array(o, name), array(n, name)) else {
            return;
        };
        for oe in oa {
            let Some(ot) = oe.get_ref().as_table() else {
                continue;
            };
            let Some(ne) = find_entry(ot, na, id) else {
                continue;
            };
            let Some(nt) = ne.get_ref().as_table() else {
                continue;
            };
            let at = line_end(self.new, ne.span().end);
            self.keys(ot, nt, known, at);
        }
    }

    /// Enum values (`{ value = "A", description = "…" }`) keep their other keys.
    fn values(&mut self, o: &Table<'_>, n: &Table<'_>) {
        let (Some(oa), Some(na)) = (array(o, "values"), array(n, "values")) else {
            return;
        };
        for oe in oa {
            let Some(ot) = oe.get_ref().as_table() else {
                continue;
            };
            let Some(ne) = find_entry(ot, na, &["value"]) else {
                continue;
            };
            let Some(nt) = ne.get_ref().as_table() else {
                continue;
            };
            let extra: Vec<String> = ot
                .iter()
                .filter(|(k, _)| !VALUE.contains(&k.get_ref().as_ref()))
                .map(|(k, v)| format!("{} = {}", bare_or_quoted(k.get_ref()), &self.old[v.span()]))
                .collect();
            if extra.is_empty() || nt.len() != VALUE.len() {
                continue;
            }
            // After the last key's value, inside the braces.
            let Some(end) = nt.iter().map(|(_, v)| v.span().end).max() else {
                continue;
            };
            self.edits
                .push((end, end, extra.iter().map(|e| format!(", {e}")).collect()));
        }
    }

    fn apply(mut self) -> String {
        self.edits.sort_by_key(|(a, b, _)| (*a, *b));
        let mut out = String::with_capacity(self.new.len() + 256);
        let mut at = 0;
        for (start, end, text) in self.edits {
            if start < at {
                continue;
            }
            out.push_str(&self.new[at..start]);
            out.push_str(&text);
            at = end;
        }
        out.push_str(&self.new[at..]);
        out
    }
}

fn get<'a, 'i>(t: &'a Table<'i>, key: &str) -> Option<&'a Item<'i>> {
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

fn table<'a, 'i>(t: &'a Table<'i>, key: &str) -> Option<&'a Table<'i>> {
    get(t, key).and_then(|v| v.get_ref().as_table())
}

fn array<'a, 'i>(t: &'a Table<'i>, key: &str) -> Option<&'a [Item<'i>]> {
    match get(t, key)?.get_ref() {
        DeValue::Array(a) => Some(a.as_ref()),
        _ => None,
    }
}

/// Whether `key = value` is written on its key's line (not a `[table]` or `[[array]]` header,
/// whose span the parser gives as the header around the key).
fn inline(t: &Table<'_>, key: &str, v: &Item<'_>) -> bool {
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .is_some_and(|(k, _)| k.span().end <= v.span().start)
}

/// The entry of `entries` whose `id` keys (the first one at least) equal those of `o`; by the
/// first key alone when that names exactly one entry on each side.
fn find_entry<'a, 'i>(o: &Table<'_>, entries: &'a [Item<'i>], id: &[&str]) -> Option<&'a Item<'i>> {
    let val =
        |t: &Table<'_>, k: &str| get(t, k).and_then(|v| v.get_ref().as_str().map(str::to_string));
    let first = val(o, id[0])?;
    let same = |e: &&Item<'_>| {
        e.get_ref()
            .as_table()
            .is_some_and(|t| id.iter().all(|k| val(t, k) == val(o, k)))
    };
    if let Some(e) = entries.iter().find(same) {
        return Some(e);
    }
    let by_first: Vec<&Item<'i>> = entries
        .iter()
        .filter(|e| {
            e.get_ref()
                .as_table()
                .is_some_and(|t| val(t, id[0]).as_deref() == Some(first.as_str()))
        })
        .collect();
    match by_first.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// Every `[table]` and `[[array]]` header of the document, as `(span, dotted path)`, in order.
fn headers(t: &Table<'_>) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    collect_headers(t, "", &mut out);
    out.sort_by_key(|(r, _)| r.start);
    out
}

fn collect_headers(t: &Table<'_>, prefix: &str, out: &mut Vec<(Range<usize>, String)>) {
    for (k, v) in t.iter() {
        let path = if prefix.is_empty() {
            k.get_ref().to_string()
        } else {
            format!("{prefix}.{}", k.get_ref())
        };
        let header = v.span().start < k.span().start;
        match v.get_ref() {
            DeValue::Table(inner) => {
                if header {
                    out.push((v.span(), path.clone()));
                }
                if header || v.span() == k.span() {
                    collect_headers(inner, &path, out);
                }
            }
            DeValue::Array(a) if header => {
                for e in a.iter() {
                    if let DeValue::Table(inner) = e.get_ref() {
                        out.push((e.span(), path.clone()));
                        collect_headers(inner, &path, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The text of the tables at `path` (each entry of an array of tables), with their sub-tables:
/// from each header to the next header of another table, trailing blank lines trimmed, ending
/// in a newline. Entries are separated by a blank line.
fn section(text: &str, heads: &[(Range<usize>, String)], path: &str) -> String {
    let mut parts = Vec::new();
    let sub = format!("{path}.");
    for (i, (r, p)) in heads.iter().enumerate() {
        if p != path {
            continue;
        }
        let end = heads[i + 1..]
            .iter()
            .find(|(_, q)| !q.starts_with(&sub))
            .map(|(r, _)| line_start(text, r.start))
            .unwrap_or(text.len());
        parts.push(text[line_start(text, r.start)..end].trim_end().to_string() + "\n");
    }
    parts.join("\n")
}

/// Where the `[path]` table (with its sub-tables) starts and ends in `text`, its trailing blank
/// line included.
fn section_range(text: &str, heads: &[(Range<usize>, String)], path: &str) -> Range<usize> {
    let sub = format!("{path}.");
    let Some(i) = heads.iter().position(|(_, p)| p == path) else {
        return text.len()..text.len();
    };
    let start = line_start(text, heads[i].0.start);
    let end = heads[i + 1..]
        .iter()
        .find(|(_, q)| !q.starts_with(&sub))
        .map(|(r, _)| line_start(text, r.start))
        .unwrap_or(text.len());
    start..end
}

/// Just after the `[path]` header line (the end of the text when there is none).
fn header_end(text: &str, heads: &[(Range<usize>, String)], path: &str) -> usize {
    heads
        .iter()
        .find(|(_, p)| p == path)
        .map(|(r, _)| line_end(text, r.end))
        .unwrap_or(text.len())
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map(|i| i + 1).unwrap_or(0)
}

fn line_end(text: &str, pos: usize) -> usize {
    text[pos..]
        .find('\n')
        .map(|i| pos + i + 1)
        .unwrap_or(text.len())
}

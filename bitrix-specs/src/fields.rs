//! Parameter and field tables to spec fields and struct types, following anchored tables on the
//! same page and linked field pages for nested objects.

use std::collections::{BTreeMap, BTreeSet};

use crate::docs::Docs;
use crate::markdown::{self, Table};
use crate::page::{squash, Page};
pub use crate::row::{is_field_table, is_wire_name, read_row, RowInfo};
use crate::rules::{convention, listed_values, prose_rules};
use crate::types::{map_word, only_y_n, type_name, Mapped};
use crate::unions::{union_type, Union};
use bitrix_codegen::write::spec::{Field, Spec, TypeDef};

/// Builds fields and the struct types they need for one spec.
pub struct FieldReader<'a> {
    docs: &'a Docs,
    /// Types made so far, keyed by (page, anchor).
    made: BTreeMap<(String, String), String>,
    busy: BTreeSet<(String, String)>,
    /// The documented request body, to tell a list from an associative `array`.
    sample: Option<serde_json::Value>,
}

impl<'a> FieldReader<'a> {
    /// A reader for one spec.
    pub fn new(docs: &'a Docs, sample: Option<serde_json::Value>) -> Self {
        FieldReader {
            docs,
            made: BTreeMap::new(),
            busy: BTreeSet::new(),
            sample,
        }
    }

    /// Whether an `array` field is a list: the example request decides; without one, the
    /// names PHP uses for associative arrays (`fields`, `params`, ...) are not lists.
    fn array_is_list(&self, path: &str, name: &str, input: bool) -> bool {
        if input {
            match self.sample_at(path) {
                Some(serde_json::Value::Array(_)) => return true,
                Some(serde_json::Value::Object(_)) => return false,
                _ => {}
            }
        }
        !matches!(
            name.to_ascii_lowercase().as_str(),
            "fields" | "params" | "settings" | "options" | "data" | "filter" | "order"
        )
    }

    /// The fields of a table. `input`: required marks count (parameters); off for answers.
    pub fn fields(
        &mut self,
        spec: &mut Spec,
        page: &Page,
        table: &Table,
        prefix: &str,
        input: bool,
        depth: usize,
    ) -> Vec<Field> {
        let mut out: Vec<Field> = Vec::new();
        for row in &table.rows {
            let Some(info) = read_row(row) else {
                continue;
            };
            if info.name.is_empty() || info.name == "..." {
                continue;
            }
            let path = if prefix.is_empty() {
                info.name.clone()
            } else {
                format!("{prefix}.{}", info.name)
            };
            if !is_wire_name(&info.name) {
                spec.todo(format!(
                    "`{path}`: not a plain key name; left out (page line {})",
                    row.line
                ));
                continue;
            }
            if out.iter().any(|f| f.name == info.name) {
                continue;
            }
            let mut ty = match convention(&info) {
                Some(t) => t.to_string(),
                None => self.field_type(spec, page, &info, &path, input, depth),
            };
            // Answers carry `null` for empty values; parameters are given or left out.
            if !input && !ty.ends_with('?') && ty != "any" {
                ty.push('?');
            }
            out.push(Field {
                name: info.name.clone(),
                ty,
                required: (input && info.required).into(),
            });
            prose_rules(spec, &path, &info.description);
        }
        out
    }

    fn field_type(
        &mut self,
        spec: &mut Spec,
        page: &Page,
        info: &RowInfo,
        path: &str,
        input: bool,
        depth: usize,
    ) -> String {
        if !info.union.is_empty() {
            let words: Vec<&str> = info.union.iter().map(String::as_str).collect();
            // `T | null` is a nullable `T`.
            let not_null: Vec<&str> = words
                .iter()
                .copied()
                .filter(|w| !w.eq_ignore_ascii_case("null"))
                .collect();
            if not_null.len() == 1 && words.len() > 1 {
                let mut one = info.clone();
                one.union = Vec::new();
                one.word = Some(not_null[0].to_string());
                let ty = self.field_type(spec, page, &one, path, input, depth);
                return if ty.ends_with('?') || ty == "any" {
                    ty
                } else {
                    format!("{ty}?")
                };
            }
            let mapped: Vec<Mapped> = words.iter().map(|w| map_word(w, false)).collect();
            // `integer | string`: text, which decodes either (a number is read as its digits)
            // and is one of the forms the server takes; `integer | double`: a double.
            let scalars: Vec<&str> = mapped
                .iter()
                .zip(&words)
                .filter(|(_, w)| !w.eq_ignore_ascii_case("null"))
                .map(|(m, _)| match m {
                    Mapped::Expr(e) => e.as_str(),
                    _ => "",
                })
                .collect();
            let nullable = not_null.len() < words.len();
            let pick = if scalars.iter().all(|e| *e == "integer" || *e == "string") {
                Some("string")
            } else if scalars.iter().all(|e| *e == "integer" || *e == "double") {
                Some("double")
            } else {
                None
            };
            if let Some(p) = pick.filter(|_| scalars.len() > 1) {
                return if nullable {
                    format!("{p}?")
                } else {
                    p.to_string()
                };
            }
            if mapped.windows(2).any(|w| w[0] != w[1]) {
                let nulled = |t: String| if nullable { format!("{t}?") } else { t };
                let bare_list = input && self.array_is_list(path, &info.name, input);
                match union_type(&not_null, &info.name, &info.description, input, bare_list) {
                    Some(Union::Expr(e)) => return nulled(e),
                    // The object's own table, if any; else the union stays open below.
                    Some(Union::Object) => {
                        if let Some(name) = self.nested(spec, page, info, path, input, depth, None)
                        {
                            return nulled(name);
                        }
                    }
                    None => {}
                }
                spec.todo(format!(
                    "`{path}`: documented as a union ({}); typed as any",
                    words.join(" | ")
                ));
                return "any".into();
            }
        }
        let Some(word) = info.word.clone() else {
            // The example request shows the value: its JSON kind is the type.
            if input {
                let from_sample = match self.sample_at(path) {
                    Some(serde_json::Value::Bool(_)) => Some("boolean"),
                    Some(serde_json::Value::String(_)) => Some("string"),
                    Some(serde_json::Value::Number(n)) if n.is_i64() || n.is_u64() => {
                        Some("integer")
                    }
                    Some(serde_json::Value::Number(_)) => Some("double"),
                    _ => None,
                };
                if let Some(t) = from_sample {
                    return t.to_string();
                }
            }
            spec.todo(format!("`{path}`: no type given; typed as any"));
            return "any".into();
        };
        let yn = only_y_n(&info.description);
        let (bare, list) = match word.strip_suffix("[]") {
            Some(b) => (b.to_string(), true),
            None => (word.clone(), false),
        };
        let wrap = |name: String, list: bool| if list { format!("[{name}]") } else { name };
        match map_word(&word, yn) {
            Mapped::Expr(e) if e == "string" && input => {
                self.enumeration(spec, info, path).unwrap_or(e)
            }
            Mapped::Expr(e) => e,
            Mapped::Object | Mapped::ObjectList => {
                // A bare `array` is often an associative array: a list only when a table says so.
                let bare_array = bare.eq_ignore_ascii_case("array")
                    && self.array_is_list(path, &info.name, input);
                let list = list
                    || (map_word(&word, yn) == Mapped::ObjectList
                        && !bare.eq_ignore_ascii_case("array"));
                match self.nested(spec, page, info, path, input, depth, None) {
                    Some(name) => wrap(name, list || bare_array),
                    // A list of plain values, as the example request shows it.
                    None if input && self.sample_scalar_list(path).is_some() => {
                        self.sample_scalar_list(path).unwrap_or_default()
                    }
                    // An object of text the example request shows (keys that are data).
                    // (Text only: a number would be sent back as text.)
                    None if input
                        && self.sample_at(path).is_some_and(|v| {
                            v.as_object().is_some_and(|m| {
                                !m.is_empty() && m.values().all(serde_json::Value::is_string)
                            })
                        }) =>
                    {
                        "{string}".to_string()
                    }
                    None => {
                        spec.todo(format!(
                            "`{path}`: {} whose fields are on no page; typed as {}",
                            if list || bare_array {
                                "array"
                            } else {
                                "object"
                            },
                            wrap("any".into(), list)
                        ));
                        wrap("any".into(), list)
                    }
                }
            }
            Mapped::Unknown(_) => {
                match self.nested(spec, page, info, path, input, depth, Some(&bare)) {
                    Some(name) => wrap(name, list),
                    None => {
                        spec.todo(format!(
                            "`{path}`: type `{word}` is not known to the importer; typed as any"
                        ));
                        wrap("any".into(), list)
                    }
                }
            }
        }
    }

    /// The value of `path` in the example request.
    fn sample_at(&self, path: &str) -> Option<&serde_json::Value> {
        let mut v = self.sample.as_ref();
        for seg in path.split('.') {
            v = match v {
                Some(serde_json::Value::Array(a)) => a.first().and_then(|x| x.get(seg)),
                Some(x) => x.get(seg),
                None => None,
            };
        }
        v
    }

    /// `[integer]` or `[string]` when the example request gives a non-empty array of only
    /// integers or only strings at `path`.
    fn sample_scalar_list(&self, path: &str) -> Option<String> {
        let serde_json::Value::Array(a) = self.sample_at(path)? else {
            return None;
        };
        if a.is_empty() {
            None
        } else if a.iter().all(|x| x.is_i64() || x.is_u64()) {
            Some("[integer]".into())
        } else if a.iter().all(serde_json::Value::is_string) {
            Some("[string]".into())
        } else {
            None
        }
    }

    /// A string parameter whose description lists its values as bullets (`` - `A` — ... ``)
    /// becomes an enum, unless the example request uses a value outside the list.
    fn enumeration(&mut self, spec: &mut Spec, info: &RowInfo, path: &str) -> Option<String> {
        let values = listed_values(&info.description)?;
        match self.sample_at(path) {
            None => {}
            Some(serde_json::Value::String(s)) if values.contains(s) => {}
            Some(_) => return None,
        }
        let base = type_name(path);
        if let Some(t) = spec
            .types
            .iter()
            .find(|t| t.values == values && t.name.starts_with(&base))
        {
            return Some(t.name.clone());
        }
        Some(add_type(spec, &base, Vec::new(), values))
    }

    /// Finds the table describing an object field and makes a struct type of it.
    #[allow(clippy::too_many_arguments)]
    fn nested(
        &mut self,
        spec: &mut Spec,
        page: &Page,
        info: &RowInfo,
        path: &str,
        input: bool,
        depth: usize,
        word: Option<&str>,
    ) -> Option<String> {
        if depth > 5 {
            return None;
        }
        let docs = self.docs;
        let mut candidates: Vec<(&Page, Option<String>)> = Vec::new();
        if let Some(link) = &info.word_link {
            match docs.resolve(&page.rel, link) {
                Some((p, Some(a))) if a != "time" => candidates.push((p, Some(a))),
                // A link to a types page without an anchor: the heading named like the type.
                Some((p, None)) => {
                    if let Some(w) = word {
                        for b in &p.blocks {
                            if let markdown::Block::Heading { anchor, text, .. } = b {
                                let a = anchor.clone().unwrap_or_else(|| crate::page::slug(text));
                                if a.eq_ignore_ascii_case(w) || text.trim().eq_ignore_ascii_case(w)
                                {
                                    candidates.push((p, Some(a)));
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        for l in markdown::links(&info.description) {
            let file = l.target.split('#').next().unwrap_or("");
            // A link to an anchor (a table on this or another page) or to a field page.
            if l.target.contains('#') || file.contains("field") {
                if let Some((p, a)) = docs.resolve(&page.rel, &l.target) {
                    candidates.push((p, a));
                }
            }
        }
        let own = [squash(&info.name), squash(path)];
        for b in &page.blocks {
            if let markdown::Block::Heading {
                anchor,
                text,
                level,
                ..
            } = b
            {
                // `{#fields}`, or a heading such as `Parameter fields` / `FIELDS Parameter`.
                let words = squash(text)
                    .replace("parameters", "")
                    .replace("parameter", "");
                let hit = anchor.as_ref().is_some_and(|a| own.contains(&squash(a)))
                    || (*level > 2 && own.contains(&words));
                if hit {
                    let a = anchor.clone().unwrap_or_else(|| crate::page::slug(text));
                    candidates.push((page, Some(a)));
                }
            }
        }
        for (p, anchor) in candidates {
            // Parameters and answers read one table into different types (required marks,
            // nullable answers), so each has its own.
            let key = (
                p.rel.clone(),
                format!(
                    "{}{}",
                    anchor.clone().unwrap_or_default(),
                    if input { "" } else { "@out" }
                ),
            );
            if let Some(name) = self.made.get(&key) {
                return Some(name.clone());
            }
            if self.busy.contains(&key) {
                continue;
            }
            let table = match &anchor {
                Some(a) => p.anchored_table(a),
                None => p.first_field_table(),
            };
            let Some(table) = table.filter(|t| t.broken.is_none() && is_field_table(t)) else {
                continue;
            };
            self.busy.insert(key.clone());
            let fields = self.fields(spec, p, table, path, input, depth + 1);
            self.busy.remove(&key);
            if fields.is_empty() {
                continue;
            }
            let base = match word {
                Some(w) => type_name(w),
                None => type_name(path),
            };
            let name = add_type(spec, &base, fields, Vec::new());
            self.made.insert(key, name.clone());
            return Some(name);
        }
        None
    }
}

/// Declares a type named `base` (or `base2`, `base3`, … when taken) and returns its name.
fn add_type(spec: &mut Spec, base: &str, fields: Vec<Field>, values: Vec<String>) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while spec.types.iter().any(|t| t.name == name) {
        name = format!("{base}{n}");
        n += 1;
    }
    spec.types.push(TypeDef {
        name: name.clone(),
        fields,
        values,
    });
    name
}

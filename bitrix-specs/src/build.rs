//! One method page to one [`Spec`]: parameters, result, deprecation, errors, examples, state.

use crate::docs::Docs;
use crate::fields::{read_row, FieldReader};
use crate::markdown::{self, Block};
use crate::page::{is_method_name, Page};
use bitrix_codegen::write::spec::{Required, ResultDef, Spec};

/// Builds the spec of `method` from its page. Problems become todo points, never panics.
/// `rest`: 2, or 3 for a REST 3.0 page.
pub fn build(docs: &Docs, page: &Page, method: &str, scope: &str, rest: u8) -> Spec {
    let mut spec = Spec {
        method: method.to_string(),
        scope: scope.to_string(),
        rest,
        idempotent: crate::reads::is_read(method),
        docs: format!(
            "https://apidocs.bitrix24.com/api-reference/{}",
            page.rel.trim_end_matches(".md").to_string() + ".html"
        ),
        ..Spec::default()
    };
    if let Some((_, note)) = &page.deprecated {
        spec.deprecated = Some(replacement(note, method));
    }
    let sample = crate::examples::request_json(page);
    let mut reader = FieldReader::new(docs, sample);
    let params = page.section(|h| h.contains("parameter") && !h.contains("event"));
    if let Some(t) = params.iter().find_map(|b| match b {
        Block::Table(t) if crate::fields::is_field_table(t) => Some(t),
        _ => None,
    }) {
        spec.params = reader.fields(&mut spec, page, t, "", true, 0);
    }
    spec.result = result(&mut spec, &mut reader, page);
    if spec.rest == 3 {
        query_types(&mut spec);
    }
    crate::errors::read(&mut spec, page, &docs.system_codes, &docs.v3_statuses);
    crate::examples::read(&mut spec, page);
    crate::errors::align_with_examples(&mut spec);
    crate::reconcile::reconcile(&mut spec);
    // What the plain shapes of `reconcile` leave open.
    crate::infer::from_examples(&mut spec);
    crate::state::annotate(&mut spec);
    // After the paging is read: a list wrapped in `result.items` is `[T]` by then.
    if spec.rest == 2 {
        conditions(&mut spec);
    }
    crate::reconcile::prune(&mut spec);
    spec
}

/// REST 3.0 `select` and `filter` pick fields of the object the method answers (rest-v3.md):
/// typed `select<T>` and `filter<T>` when the answer's item is a struct of the page; otherwise the
/// filter stays free JSON, since its documented form is a list of conditions.
fn query_types(spec: &mut Spec) {
    let item = answered_struct(spec);
    for p in &mut spec.params {
        let t = p.ty.trim_end_matches('?');
        match (p.name.as_str(), &item) {
            ("select", Some(item)) if t == "[string]" => p.ty = format!("select<{item}>"),
            ("filter", Some(item)) => p.ty = format!("filter<{item}>"),
            ("filter", None) => p.ty = "any".to_string(),
            _ => {}
        }
    }
}

/// REST 2 `filter` is an object of prefixed field names (`{">=OPPORTUNITY": 100}`): typed
/// `conditions<T>` when the method lists records of a struct of the page (`[T]`), so its fields
/// are picked by name, otherwise `conditions`.
fn conditions(spec: &mut Spec) {
    let item = listed_struct(spec);
    for p in &mut spec.params {
        let free = matches!(p.ty.trim_end_matches('?'), "{any}" | "any" | "object");
        if p.name.eq_ignore_ascii_case("filter") && free {
            p.ty = match &item {
                Some(t) => format!("conditions<{t}>"),
                None => "conditions".to_string(),
            };
        }
    }
}

/// The struct a REST 2 list answers a list of (`[T]`).
fn listed_struct(spec: &Spec) -> Option<String> {
    let ty = spec.result.ty.trim_end_matches('?');
    let inner = ty
        .strip_prefix('[')?
        .strip_suffix(']')?
        .trim_end_matches('?');
    spec.types
        .iter()
        .any(|t| t.name == inner && !t.fields.is_empty())
        .then(|| inner.to_string())
}

/// The struct a REST 3.0 answer holds: the list's item (`result.items`) or `result.item`.
fn answered_struct(spec: &Spec) -> Option<String> {
    let is_struct = |n: &str| {
        spec.types
            .iter()
            .any(|t| t.name == n && !t.fields.is_empty())
    };
    let ty = spec.result.ty.trim_end_matches('?');
    if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        let inner = inner.trim_end_matches('?');
        return is_struct(inner).then(|| inner.to_string());
    }
    let envelope = spec.types.iter().find(|t| t.name == ty)?;
    let item = envelope.fields.iter().find(|f| f.name == "item")?;
    let name = item.ty.trim_end_matches('?');
    is_struct(name).then(|| name.to_string())
}

/// The method the deprecation note names as the one to use instead, if any.
fn replacement(note: &str, method: &str) -> Option<String> {
    let from_links = markdown::links(note)
        .into_iter()
        .map(|l| markdown::plain(&l.text));
    let from_code = markdown::code_spans(note).into_iter();
    from_links
        .chain(from_code)
        .map(|s| s.trim().to_string())
        .find(|s| {
            s != method
                && s.contains('.')
                && s.starts_with(|c: char| c.is_ascii_lowercase())
                && is_method_name(s)
        })
}

fn result(spec: &mut Spec, reader: &mut FieldReader<'_>, page: &Page) -> ResultDef {
    if spec.rest == 3 {
        if let Some(r) = result_v3(spec, reader, page) {
            return r;
        }
    }
    let section = page.section(|h| {
        (h.contains("response") || h.contains("returned") || h.contains("success"))
            && !h.contains("error")
    });
    if answers_a_file(section) {
        return ResultDef {
            ty: "binary".into(),
            paged: false,
            items: None,
        };
    }
    for b in section {
        let Block::Table(t) = b else { continue };
        if t.broken.is_some() {
            continue;
        }
        let Some(row) = t
            .rows
            .iter()
            .find(|r| read_row(r).is_some_and(|i| i.name == "result"))
        else {
            continue;
        };
        // The result row alone, read as a one-row table.
        let mut one = t.clone();
        one.rows = vec![row.clone()];
        let fields = reader.fields(spec, page, &one, "", false, 0);
        if let Some(f) = fields.into_iter().next() {
            let mut ty = f.ty.trim_end_matches('?').to_string();
            if ty == "any" {
                if let Some(name) = flat_result(spec, reader, page, t) {
                    ty = name;
                }
            }
            return ResultDef {
                ty,
                paged: false,
                items: None,
            };
        }
    }
    ResultDef::default()
}

/// The success section says the answer is the file itself, not JSON (`Content-Disposition`),
/// and shows no `result` row.
fn answers_a_file(section: &[Block]) -> bool {
    let text = section
        .iter()
        .filter_map(|b| match b {
            Block::Text { text, .. } => Some(text.to_ascii_lowercase()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let says_file = text.contains("content-disposition")
        || text.contains("not a json")
        || text.contains("not json");
    let has_result_row = section.iter().any(|b| {
        matches!(b, Block::Table(t) if t.rows.iter().any(|r| read_row(r).is_some_and(|i| i.name == "result")))
    });
    says_file && !has_result_row
}

/// Many pages list the fields of an object `result` as further rows of the same table (after
/// `result`, before `time`): those rows become the result's struct.
fn flat_result(
    spec: &mut Spec,
    reader: &mut FieldReader<'_>,
    page: &Page,
    t: &crate::markdown::Table,
) -> Option<String> {
    let mut rest = t.clone();
    rest.rows.retain(|r| {
        read_row(r)
            .is_some_and(|i| !matches!(i.name.as_str(), "result" | "time" | "next" | "total"))
    });
    if rest.rows.is_empty() {
        return None;
    }
    let fields = reader.fields(spec, page, &rest, "result", false, 1);
    if fields.is_empty() {
        return None;
    }
    let base = crate::types::type_name("result");
    let mut name = base.clone();
    let mut n = 2;
    while spec.types.iter().any(|x| x.name == name) {
        name = format!("{base}{n}");
        n += 1;
    }
    spec.types.push(bitrix_codegen::write::spec::TypeDef {
        name: name.clone(),
        fields,
        values: Vec::new(),
    });
    spec.todo
        .retain(|p| !p.starts_with("`result`: object whose fields are on no page"));
    Some(name)
}

/// A REST 3.0 answer table lists `result`, then the one key it holds (`item`, `items` and
/// `items[]`, or `result`), then the record's fields as further rows, then `time`. The record
/// becomes the struct `Item` and `result` a struct holding it under its key. `None` when the
/// table has another shape (the REST 2 reading applies).
fn result_v3(spec: &mut Spec, reader: &mut FieldReader<'_>, page: &Page) -> Option<ResultDef> {
    let section = page.section(|h| {
        (h.contains("response") || h.contains("returned") || h.contains("success"))
            && !h.contains("error")
    });
    let t = section.iter().find_map(|b| match b {
        Block::Table(t)
            if t.broken.is_none()
                && t.rows
                    .iter()
                    .any(|r| read_row(r).is_some_and(|i| i.name == "result")) =>
        {
            Some(t)
        }
        _ => None,
    })?;
    let infos: Vec<_> = t.rows.iter().map(|r| (read_row(r), r)).collect();
    let at = infos
        .iter()
        .position(|(i, _)| i.as_ref().is_some_and(|i| i.name == "result"))?;
    let rest: Vec<_> = infos[at + 1..]
        .iter()
        .filter(|(i, _)| i.as_ref().is_some_and(|i| i.name != "time"))
        .collect();
    let (key_info, _) = rest.first()?;
    let key = key_info.as_ref()?.name.clone();
    let ty_word = key_info
        .as_ref()?
        .word
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let wrapper = crate::types::type_name("result");
    let field = |name: &str, ty: &str| bitrix_codegen::write::spec::Field {
        name: name.to_string(),
        ty: ty.to_string(),
        required: Required::No,
    };
    let list = ty_word.contains("array") || ty_word.ends_with("[]");
    match key.as_str() {
        // `{"result": {"result": true}}`: the outcome of an operation.
        "result" if rest.len() == 1 => {
            let mut one = t.clone();
            one.rows = vec![rest[0].1.clone()];
            let f = reader.fields(spec, page, &one, "result", false, 1).pop()?;
            spec.types.push(bitrix_codegen::write::spec::TypeDef {
                name: wrapper.clone(),
                fields: vec![field("result", &f.ty)],
                values: Vec::new(),
            });
        }
        "item" | "items" if ty_word.contains("object") || list => {
            let mut record = t.clone();
            record.rows = rest[1..]
                .iter()
                .filter(|(i, _)| i.as_ref().is_some_and(|i| !i.name.ends_with("[]")))
                .map(|(_, r)| (*r).clone())
                .collect();
            let fields = if record.rows.is_empty() {
                Vec::new()
            } else {
                reader.fields(spec, page, &record, &format!("result.{key}"), false, 1)
            };
            let ty = if fields.is_empty() {
                // No flat rows: the key's own row, whose object may be described elsewhere
                // (an anchored table, a linked field page).
                let mut one = t.clone();
                one.rows = vec![rest[0].1.clone()];
                let f = reader.fields(spec, page, &one, "result", false, 1).pop()?;
                f.ty.trim_end_matches('?').to_string()
            } else {
                let name = crate::types::type_name("item");
                if spec.types.iter().any(|x| x.name == name) {
                    return None;
                }
                spec.types.push(bitrix_codegen::write::spec::TypeDef {
                    name: name.clone(),
                    fields,
                    values: Vec::new(),
                });
                if key == "items" {
                    format!("[{name}]")
                } else {
                    name
                }
            };
            if spec.types.iter().any(|x| x.name == wrapper) {
                return None;
            }
            spec.types.push(bitrix_codegen::write::spec::TypeDef {
                name: wrapper.clone(),
                fields: vec![field(&key, &ty)],
                values: Vec::new(),
            });
        }
        _ => return None,
    }
    Some(ResultDef {
        ty: wrapper,
        paged: false,
        items: None,
    })
}

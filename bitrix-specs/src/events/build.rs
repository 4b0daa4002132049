//! One event of the reference to one [`EventSpec`]: the `data` fields from the handler's tables,
//! the documented `auth` keys, the example body, and todo points for what stays loose.

use serde_json::Value;

use super::discover::Found;
use super::fit;
use crate::docs::Docs;
use crate::examples::{json, without_elisions};
use crate::fields::{is_field_table, read_row, FieldReader};
use crate::markdown::{Block, Row, Table};
use crate::page::Page;
use bitrix_codegen::write::event::{EventSpec, ExampleKind};
use bitrix_codegen::write::spec::{Field, Required, Spec};

/// Token-like wire names: secrets wherever they occur.
const SECRET_NAMES: &[&str] = &["access_token", "refresh_token", "application_token"];

/// The keys of the shared `auth` table (`_includes/auth-params-in-events.md`).
const SHARED_AUTH: &[&str] = &[
    "access_token",
    "expires_in",
    "scope",
    "domain",
    "server_endpoint",
    "status",
    "client_endpoint",
    "member_id",
    "refresh_token",
    "application_token",
];

/// Builds the spec of one event. Problems become todo points; never panics.
pub fn build(
    docs: &Docs,
    page: &Page,
    found: &Found,
    rust_name: String,
    folder: &str,
) -> EventSpec {
    let mut holder = Spec::default();
    let blocks = &page.blocks[found.start..found.end];
    let mut ev = EventSpec {
        name: found.name.clone(),
        rust_name,
        // `sign.b2e` is written `sign_b2e`, as in the method specs.
        scope: page
            .scope
            .clone()
            .map(|s| s.replace('.', "_"))
            .unwrap_or_else(|| folder.to_string()),
        folder: folder.to_string(),
        docs: format!(
            "https://apidocs.bitrix24.com/api-reference/{}.html{}",
            page.rel.trim_end_matches(".md"),
            found
                .anchor
                .as_ref()
                .map(|a| format!("#{a}"))
                .unwrap_or_default()
        ),
        deprecated: page.deprecated.is_some(),
        ..EventSpec::default()
    };
    let example = example(blocks, &ev.name);
    let sample_data = example.as_ref().and_then(|(kind, text)| {
        let v = json(text)?;
        match kind {
            ExampleKind::Body => v.get("data").cloned(),
            ExampleKind::Data => Some(v),
        }
    });
    let mut reader = FieldReader::new(docs, None);
    match data_table(page, blocks) {
        Some(table) => {
            let table = without_undefined(&table);
            ev.fields = reader.fields(&mut holder, page, &table, "", false, 0);
        }
        None => {
            holder.todo("no table of the `data` keys on the page; every key is kept in `extra`")
        }
    }
    ev.types = holder.types;
    ev.todo = holder.todo;
    // `extra` is the Rust name of every struct's map of undescribed keys: such a key stays there.
    let reserved = |f: &Field| f.name.eq_ignore_ascii_case("extra");
    let mut dropped: Vec<String> = Vec::new();
    dropped.extend(
        ev.fields
            .iter()
            .filter(|f| reserved(f))
            .map(|f| f.name.clone()),
    );
    ev.fields.retain(|f| !reserved(f));
    for t in &mut ev.types {
        dropped.extend(
            t.fields
                .iter()
                .filter(|f| reserved(f))
                .map(|f| format!("{}.{}", t.name, f.name)),
        );
        t.fields.retain(|f| !reserved(f));
    }
    for d in dropped {
        ev.todo.push(format!(
            "`{d}`: named like the map of undescribed keys; kept in `extra`"
        ));
    }
    // Events are decoded, never sent: `null` and absent are the same to a handler, and every
    // field is optional (PHP leaves empty values out of form bodies).
    for f in ev
        .fields
        .iter_mut()
        .chain(ev.types.iter_mut().flat_map(|t| t.fields.iter_mut()))
    {
        f.ty = f.ty.replace('?', "");
        f.required = Required::No;
    }
    if let Some(data) = &sample_data {
        let mut notes = Vec::new();
        fit::fit(&mut ev.fields, &mut ev.types, data, &mut notes);
        ev.todo.extend(notes);
    }
    ev.auth = auth_keys(page, blocks);
    ev.example = example;
    let mut secrets: Vec<String> = SECRET_NAMES
        .iter()
        .filter(|s| {
            ev.fields
                .iter()
                .chain(ev.types.iter().flat_map(|t| t.fields.iter()))
                .any(|f| f.name == **s && f.ty == "string")
        })
        .map(|s| s.to_string())
        .collect();
    secrets.dedup();
    ev.secrets = secrets;
    ev
}

/// The table of the `data` keys: the rows `data.X` of the handler's table, else the table a
/// `data` row points to, else a table with neither `event` nor `auth` rows (pages that list only
/// the payload).
fn data_table(page: &Page, blocks: &[Block]) -> Option<Table> {
    let tables: Vec<&Table> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) if t.broken.is_none() && is_field_table(t) => Some(t),
            _ => None,
        })
        .collect();
    for t in &tables {
        let rows: Vec<Row> = t
            .rows
            .iter()
            .filter_map(|r| {
                let info = read_row(r)?;
                let rest = info.name.strip_prefix("data.")?;
                (!rest.contains('.')).then(|| renamed(r, &info.name, rest))
            })
            .collect();
        if !rows.is_empty() {
            return Some(Table {
                rows,
                ..(*t).clone()
            });
        }
    }
    for t in &tables {
        let data_row = t
            .rows
            .iter()
            .find(|r| read_row(r).is_some_and(|i| i.name.eq_ignore_ascii_case("data")));
        if let Some(r) = data_row {
            let anchor = r
                .cells
                .iter()
                .flat_map(|c| crate::markdown::links(c))
                .find_map(|l| l.target.strip_prefix('#').map(str::to_string));
            if let Some(table) = anchor.and_then(|a| page.anchored_table(&a)) {
                return Some(table.clone());
            }
            return None;
        }
    }
    tables
        .into_iter()
        .find(|t| {
            !t.rows.iter().any(|r| {
                read_row(r).is_some_and(|i| {
                    matches!(
                        i.name.as_str(),
                        "event" | "auth" | "ts" | "event_handler_id"
                    )
                })
            })
        })
        .cloned()
}

/// The row with its name cell's `data.X` written as `X`.
fn renamed(row: &Row, from: &str, to: &str) -> Row {
    let mut r = row.clone();
    if let Some(c) = r.cells.first_mut() {
        *c = c.replacen(from, to, 1);
    }
    r
}

/// `undefined` is how the sender writes an absent value; it is no type of its own. Dropping it
/// from `undefined | object` leaves the object.
fn without_undefined(t: &Table) -> Table {
    let mut t = t.clone();
    for r in &mut t.rows {
        if let Some(c) = r.cells.first_mut() {
            for pat in [
                "`undefined`\\|",
                "\\|`undefined`",
                "`undefined` \\| ",
                " \\| `undefined`",
                "`undefined`|",
                "|`undefined`",
                "`undefined` | ",
                " | `undefined`",
            ] {
                *c = c.replace(pat, "");
            }
        }
    }
    t
}

/// The documented example: the first JSON block of the section that is a delivered body (it
/// has `data`, and its `event`, if any, is this event), else the first that is a bare `data`
/// object (family pages show only `data`).
fn example(blocks: &[Block], name: &str) -> Option<(ExampleKind, String)> {
    let mut data_only = None;
    for b in blocks {
        let Block::Code { lang, text, .. } = b else {
            continue;
        };
        if !(lang.is_empty() || lang.starts_with("json") || lang == "js") {
            continue;
        }
        let Some(clean) = json(text)
            .map(|_| text.clone())
            .or_else(|| without_elisions(text))
        else {
            continue;
        };
        let Some(v) = json(&clean) else { continue };
        let pretty = clean.trim().to_string();
        match v.get("event").and_then(Value::as_str) {
            // PHP writes an empty `data` as `[]`.
            Some(e)
                if e.eq_ignore_ascii_case(name)
                    && v.get("data").is_some_and(is_object_or_empty) =>
            {
                return Some((ExampleKind::Body, pretty));
            }
            Some(_) => continue,
            None if v.is_object() && data_only.is_none() && v.get("auth").is_none() => {
                data_only = Some((ExampleKind::Data, pretty));
            }
            None => {}
        }
    }
    data_only
}

/// The `auth` keys the page documents: the shared table when it includes it, else the rows of a
/// table headed `auth`.
fn auth_keys(page: &Page, blocks: &[Block]) -> Vec<String> {
    let includes_shared = blocks
        .iter()
        .any(|b| matches!(b, Block::Text { text, .. } if text.contains("auth-params-in-events")));
    if includes_shared {
        return SHARED_AUTH.iter().map(|s| s.to_string()).collect();
    }
    match page.anchored_table("auth") {
        Some(t) => t
            .rows
            .iter()
            .filter_map(read_row)
            .map(|i| i.name)
            .filter(|n| crate::fields::is_wire_name(n))
            .collect(),
        None => Vec::new(),
    }
}

fn is_object_or_empty(v: &Value) -> bool {
    v.is_object() || v.as_array().is_some_and(Vec::is_empty)
}

//! Step 1 for events: TOML text to [`EventAst`], reporting syntax errors and unknown keys.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::ast::{DeprecatedAst, FieldAst, Sp, TypeAst};
use crate::diag::Ctx;
use crate::read::table::TableReader;
use crate::read::{read_field, text_of};

const TOP_KEYS: &[&str] = &[
    "event",
    "rust_name",
    "scope",
    "summary",
    "description",
    "docs",
    "origin",
    "todo",
    "deprecated",
    "secrets",
    "auth",
    "fields",
    "types",
    "examples",
    "raise",
];
const DEPRECATED_KEYS: &[&str] = &["replacement", "note"];
const EXAMPLE_KEYS: &[&str] = &["name", "description", "body", "data", "form"];

/// An event spec as written.
#[derive(Debug, Clone, Default)]
pub struct EventAst {
    /// `event`.
    pub event: Option<Sp<String>>,
    /// `rust_name`.
    pub rust_name: Option<Sp<String>>,
    /// `scope`.
    pub scope: Option<Sp<String>>,
    /// `summary`.
    pub summary: Option<Sp<String>>,
    /// `description`.
    pub description: Option<String>,
    /// `docs`.
    pub docs: Option<String>,
    /// `origin` (`"import"` or `"hand"`).
    pub origin: Option<Sp<String>>,
    /// `todo`: points the importer could not decide.
    pub todo: Vec<Sp<String>>,
    /// `[deprecated]`.
    pub deprecated: Option<DeprecatedAst>,
    /// `secrets`.
    pub secrets: Vec<Sp<String>>,
    /// `auth`: the keys of the `auth` block the page documents.
    pub auth: Vec<Sp<String>>,
    /// `[[fields]]`: the keys of `data`.
    pub fields: Vec<FieldAst>,
    /// `[types.*]`.
    pub types: Vec<TypeAst>,
    /// `[[examples]]`.
    pub examples: Vec<ExampleAst>,
    /// `[[raise]]`: the emulator's store writes that raise the event.
    pub raise: Vec<super::raise::RaiseAst>,
}

/// One documented delivery, unparsed.
#[derive(Debug, Clone)]
pub struct ExampleAst {
    /// Where it stands.
    pub span: Range<usize>,
    /// Its name.
    pub name: Option<Sp<String>>,
    /// What it shows.
    pub description: Option<String>,
    /// Whole JSON body.
    pub body: Option<Sp<String>>,
    /// Only `data`, as JSON.
    pub data: Option<Sp<String>>,
    /// Form body.
    pub form: Option<Sp<String>>,
}

/// Parses one event spec's text. `None` when the TOML itself cannot be read.
pub fn read_event(ctx: &mut Ctx<'_>, text: &str) -> Option<EventAst> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            ctx.error_help(
                e.span().unwrap_or(0..0),
                format!("TOML syntax error: {}", e.message().trim()),
                "see events/README.md for the format",
            );
        }
        return None;
    }
    let top = TableReader::new(doc.get_ref(), "the event spec", TOP_KEYS);
    let mut ev = EventAst {
        event: top.string(ctx, "event"),
        rust_name: top.string(ctx, "rust_name"),
        scope: top.string(ctx, "scope"),
        summary: top.string(ctx, "summary"),
        description: text_of(top.string(ctx, "description")),
        docs: text_of(top.string(ctx, "docs")),
        origin: top.string(ctx, "origin"),
        ..EventAst::default()
    };
    ev.todo = strings(ctx, &top, "todo");
    if let Some((t, span)) = top.table(ctx, "deprecated") {
        let r = TableReader::new(t, "[deprecated]", DEPRECATED_KEYS);
        ev.deprecated = Some(DeprecatedAst {
            span,
            replacement: r.string(ctx, "replacement"),
            note: text_of(r.string(ctx, "note")),
        });
        r.finish(ctx);
    }
    ev.secrets = strings(ctx, &top, "secrets");
    ev.auth = strings(ctx, &top, "auth");
    if let Some((rows, _)) = top.tables(ctx, "fields") {
        ev.fields = rows
            .into_iter()
            .map(|(t, span)| read_field(ctx, t, span, "a [[fields]] entry"))
            .collect();
    }
    ev.types = crate::read::read_types(ctx, &top);
    if let Some((rows, _)) = top.tables(ctx, "examples") {
        for (t, span) in rows {
            let r = TableReader::new(t, "an [[examples]] entry", EXAMPLE_KEYS);
            ev.examples.push(ExampleAst {
                span,
                name: r.string(ctx, "name"),
                description: text_of(r.string(ctx, "description")),
                body: r.string(ctx, "body"),
                data: r.string(ctx, "data"),
                form: r.string(ctx, "form"),
            });
            r.finish(ctx);
        }
    }
    ev.raise = super::raise::read(ctx, &top);
    top.finish(ctx);
    Some(ev)
}

/// An array of strings under `key` (`secrets`, `todo`); other values are reported.
fn strings(ctx: &mut Ctx<'_>, top: &TableReader<'_, '_>, key: &str) -> Vec<Sp<String>> {
    let mut out = Vec::new();
    let Some(v) = top.get(key) else {
        return out;
    };
    match v.get_ref() {
        DeValue::Array(items) => {
            for item in items.iter() {
                match item.get_ref() {
                    DeValue::String(s) => out.push(Sp {
                        value: s.to_string(),
                        span: item.span(),
                    }),
                    other => ctx.error(
                        item.span(),
                        format!("`{key}` lists strings, found {}", other.type_str()),
                    ),
                }
            }
        }
        other => ctx.error(
            v.span(),
            format!(
                "`{key}` must be an array of strings, found {}",
                other.type_str()
            ),
        ),
    }
    out
}

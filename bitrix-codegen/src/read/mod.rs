//! Step 1: TOML text to [`SpecAst`]. Reports syntax errors, unknown keys and values of the wrong
//! kind; meaning is checked later, in `valid`.

mod raw;
pub(crate) mod table;

pub use raw::raw;

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::ast::*;
use crate::diag::Ctx;
use table::{to_json, TableReader};

const TOP_KEYS: &[&str] = &[
    "method",
    "scope",
    "callers",
    "summary",
    "description",
    "docs",
    "idempotent",
    "auth",
    "param_case",
    "rest",
    "origin",
    "todo",
    "no_example",
    "reviewed",
    "state",
    "deprecated",
    "params",
    "types",
    "result",
    "errors",
    "examples",
];
const STATE_KEYS: &[&str] = &[
    "entity",
    "action",
    "id",
    "fields",
    "key",
    "partition",
    "partition_value",
    "parent",
    "rows",
    "defaults",
    "form",
    "copy",
    "answer",
    "wrap",
    "not_found",
    "missing",
    "strict_filter",
    "owner_type",
    "named",
    "taken",
    "documented",
    "upsert",
    "pick",
];
const DEPRECATED_KEYS: &[&str] = &["replacement", "note"];
const FIELD_KEYS: &[&str] = &[
    "name",
    "type",
    "required",
    "description",
    "default",
    "aliases",
];
const TYPE_KEYS: &[&str] = &["description", "fields", "min_fields", "values"];
const VALUE_KEYS: &[&str] = &["value", "description"];
const RESULT_KEYS: &[&str] = &["type", "description", "paged", "items"];
const ERROR_KEYS: &[&str] = &["code", "description", "meaning", "status", "variant"];
const REVIEWED_KEYS: &[&str] = &["drift", "why"];
const EXAMPLE_KEYS: &[&str] = &["name", "description", "request", "status", "response"];

/// Parses one spec's text. Returns `None` when the TOML itself cannot be read; problems are in `ctx`.
pub fn read_spec(ctx: &mut Ctx<'_>, text: &str) -> Option<SpecAst> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            ctx.error_help(
                span,
                format!("TOML syntax error: {}", e.message().trim()),
                "see specs/README.md for the format",
            );
        }
        return None;
    }
    let top = TableReader::new(doc.get_ref(), "the spec", TOP_KEYS);
    let mut spec = SpecAst {
        method: top.string(ctx, "method"),
        scope: top.string(ctx, "scope"),
        callers: text_of(top.string(ctx, "callers")),
        summary: top.string(ctx, "summary"),
        description: text_of(top.string(ctx, "description")),
        docs: text_of(top.string(ctx, "docs")),
        idempotent: top.boolean(ctx, "idempotent").is_some_and(|b| b.value),
        auth: top.string(ctx, "auth"),
        param_case: top.string(ctx, "param_case"),
        rest: top.integer(ctx, "rest"),
        origin: top.string(ctx, "origin"),
        no_example: top.string(ctx, "no_example"),
        todo: top
            .strings(ctx, "todo")
            .map(|t| t.value.into_iter().map(|s| s.value).collect())
            .unwrap_or_default(),
        ..SpecAst::default()
    };
    if let Some((t, span)) = top.table(ctx, "state") {
        let r = TableReader::new(t, "[state]", STATE_KEYS);
        spec.state = Some(StateAst {
            span,
            entity: r.string(ctx, "entity"),
            action: r.string(ctx, "action"),
            id: r.string(ctx, "id"),
            fields: r.string(ctx, "fields"),
            key: r.string(ctx, "key"),
            partition: r
                .strings(ctx, "partition")
                .map(|p| p.value)
                .unwrap_or_default(),
            partition_value: r
                .strings(ctx, "partition_value")
                .map(|p| p.value)
                .unwrap_or_default(),
            parent: r.string(ctx, "parent"),
            rows: r.string(ctx, "rows"),
            defaults: r.table(ctx, "defaults").map(|(t, span)| Sp {
                value: t
                    .iter()
                    .map(|(k, v)| (k.get_ref().to_string(), to_json(v.get_ref())))
                    .collect(),
                span,
            }),
            form: r.text_pairs(
                ctx,
                "form",
                "write a form word, e.g. `OPPORTUNITY = \"money\"`",
            ),
            copy: r.text_pairs(
                ctx,
                "copy",
                "name the field it copies, e.g. `priceDelivery = \"basePriceDelivery\"`",
            ),
            answer: r.string(ctx, "answer"),
            wrap: r.string(ctx, "wrap"),
            not_found: r.string(ctx, "not_found"),
            missing: r.string(ctx, "missing"),
            strict_filter: r.boolean(ctx, "strict_filter"),
            owner_type: r.string(ctx, "owner_type"),
            named: r.boolean(ctx, "named"),
            taken: r.string(ctx, "taken"),
            documented: r.boolean(ctx, "documented"),
            upsert: r.boolean(ctx, "upsert"),
            pick: r.string(ctx, "pick"),
        });
        r.finish(ctx);
    }
    if let Some((t, span)) = top.table(ctx, "deprecated") {
        let r = TableReader::new(t, "[deprecated]", DEPRECATED_KEYS);
        spec.deprecated = Some(DeprecatedAst {
            span,
            replacement: r.string(ctx, "replacement"),
            note: text_of(r.string(ctx, "note")),
        });
        r.finish(ctx);
    }
    if let Some((rows, _)) = top.tables(ctx, "params") {
        spec.params = rows
            .into_iter()
            .map(|(t, span)| read_field(ctx, t, span, "a [[params]] entry"))
            .collect();
    }
    spec.types = read_types(ctx, &top);
    if let Some((t, span)) = top.table(ctx, "result") {
        let r = TableReader::new(t, "[result]", RESULT_KEYS);
        spec.result = Some(ResultAst {
            span,
            ty: r.string(ctx, "type"),
            description: text_of(r.string(ctx, "description")),
            paged: r.boolean(ctx, "paged").is_some_and(|b| b.value),
            items: r.string(ctx, "items"),
        });
        r.finish(ctx);
    }
    if let Some((rows, _)) = top.tables(ctx, "errors") {
        for (t, span) in rows {
            let r = TableReader::new(t, "an [[errors]] row", ERROR_KEYS);
            spec.errors.push(ErrorAst {
                span,
                code: r.string(ctx, "code"),
                description: text_of(r.string(ctx, "description")),
                meaning: text_of(r.string(ctx, "meaning")),
                status: r.integer(ctx, "status"),
                variant: r.string(ctx, "variant"),
            });
            r.finish(ctx);
        }
    }
    if let Some((rows, _)) = top.tables(ctx, "reviewed") {
        for (t, span) in rows {
            let r = TableReader::new(t, "a [[reviewed]] entry", REVIEWED_KEYS);
            let drift = r.string(ctx, "drift");
            let why = r.string(ctx, "why");
            match (drift, why) {
                (Some(drift), Some(why)) if !drift.value.trim().is_empty() && !why.value.trim().is_empty() => {
                    spec.reviewed.push(ReviewedAst { drift: drift.value, why: why.value });
                }
                _ => ctx.error_help(
                    span,
                    "a [[reviewed]] entry needs a non-empty `drift` line and a non-empty `why`",
                    "copy the line `bitrix-specs drift` prints into `drift` and say in `why` why the spec differs on purpose",
                ),
            }
            r.finish(ctx);
        }
    }
    if let Some((rows, _)) = top.tables(ctx, "examples") {
        for (t, span) in rows {
            let r = TableReader::new(t, "an [[examples]] entry", EXAMPLE_KEYS);
            spec.examples.push(ExampleAst {
                span,
                name: r.string(ctx, "name"),
                description: text_of(r.string(ctx, "description")),
                request: r.string(ctx, "request"),
                status: r.integer(ctx, "status"),
                response: r.string(ctx, "response"),
            });
            r.finish(ctx);
        }
    }
    top.finish(ctx);
    Some(spec)
}

/// Parses a folder's `_types.toml`: only `[types.*]` tables. `None` when the TOML cannot be read.
pub fn read_types_file(ctx: &mut Ctx<'_>, text: &str) -> Option<Vec<TypeAst>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            ctx.error_help(
                e.span().unwrap_or(0..0),
                format!("TOML syntax error: {}", e.message().trim()),
                "see specs/README.md, *Shared types*",
            );
        }
        return None;
    }
    let top = TableReader::new(doc.get_ref(), "a `_types.toml` file", &["types"]);
    let types = read_types(ctx, &top);
    top.finish(ctx);
    Some(types)
}

/// The `[types.*]` tables of a spec (methods and events share the grammar).
pub(crate) fn read_types(ctx: &mut Ctx<'_>, top: &TableReader<'_, '_>) -> Vec<TypeAst> {
    let mut out = Vec::new();
    if let Some((types, _)) = top.table(ctx, "types") {
        for (name, value) in types.iter() {
            let name = Sp {
                value: name.get_ref().to_string(),
                span: name.span(),
            };
            match value.get_ref() {
                DeValue::Table(t) => out.push(read_type(ctx, t, name)),
                other => ctx.error(
                    value.span(),
                    format!(
                        "`types.{}` must be a table, found {}",
                        name.value,
                        other.type_str()
                    ),
                ),
            }
        }
    }
    out
}

pub(crate) fn read_field(
    ctx: &mut Ctx<'_>,
    t: &DeTable<'_>,
    span: Range<usize>,
    what: &'static str,
) -> FieldAst {
    let r = TableReader::new(t, what, FIELD_KEYS);
    let required = match r.get("required") {
        None => Required::No,
        Some(v) => match v.get_ref() {
            DeValue::Boolean(true) => Required::Yes,
            DeValue::Boolean(false) => Required::No,
            DeValue::String(s) if s == "webhook" => Required::Webhook,
            _ => {
                ctx.error_help(
                    v.span(),
                    format!("`required` in {what} must be true, false or \"webhook\""),
                    "use \"webhook\" for parameters that only webhook calls must send",
                );
                Required::No
            }
        },
    };
    let field = FieldAst {
        span,
        name: r.string(ctx, "name"),
        ty: r.string(ctx, "type"),
        required,
        description: text_of(r.string(ctx, "description")),
        default: r.get("default").map(|v| to_json(v.get_ref())),
        aliases: r.strings(ctx, "aliases"),
    };
    r.finish(ctx);
    field
}

pub(crate) fn read_type(ctx: &mut Ctx<'_>, t: &DeTable<'_>, name: Sp<String>) -> TypeAst {
    let r = TableReader::new(t, "a [types.*] table", TYPE_KEYS);
    let fields = r.tables(ctx, "fields").map(|(rows, span)| Sp {
        value: rows
            .into_iter()
            .map(|(t, s)| read_field(ctx, t, s, "a type's field"))
            .collect(),
        span,
    });
    let values = r.tables(ctx, "values").map(|(rows, span)| Sp {
        value: rows
            .into_iter()
            .filter_map(|(t, s)| {
                let v = TableReader::new(t, "an enum value", VALUE_KEYS);
                let value = v.string(ctx, "value");
                if value.is_none() {
                    ctx.error_help(
                        s,
                        "an enum value has no `value`",
                        "write `{ value = \"…\", description = \"…\" }`",
                    );
                }
                let description = text_of(v.string(ctx, "description"));
                v.finish(ctx);
                Some(EnumValueAst {
                    value: value?,
                    description,
                })
            })
            .collect(),
        span,
    });
    let ty = TypeAst {
        name,
        description: text_of(r.string(ctx, "description")),
        fields,
        min_fields: r.integer(ctx, "min_fields"),
        values,
    };
    r.finish(ctx);
    ty
}

pub(crate) fn text_of(s: Option<Sp<String>>) -> Option<String> {
    s.map(|s| s.value.trim().to_string())
}

//! `[[raise]]`: which store writes of the emulator raise an event, and how its `data` is filled
//! from the written record (`events/README.md`, *Raised by writes*). Read and checked here; the
//! emulator (`bitrix-mock`) reads the result and never names an event in its code.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::ast::Sp;
use crate::diag::Ctx;
use crate::model::{Field, Method, Ty, TypeKind};
use crate::read::table::TableReader;

const RAISE_KEYS: &[&str] = &["entity", "partition", "write", "data"];

/// A kind of store write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Write {
    /// A record was added.
    Add,
    /// A record was changed.
    Update,
    /// A record was removed.
    Delete,
}

impl Write {
    /// Its spelling in specs.
    pub fn as_str(self) -> &'static str {
        match self {
            Write::Add => "add",
            Write::Update => "update",
            Write::Delete => "delete",
        }
    }
}

/// Where one payload value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `$id`: the record's ID.
    Id,
    /// `$partition.N`: the N-th value of the record's partition (`entityTypeId`, a parent's ID).
    Partition(usize),
    /// `$field.NAME`: a field of the record (after the write; the removed record for `delete`),
    /// found whatever its casing.
    Field(String),
    /// `=TEXT`: a fixed text.
    Text(String),
}

/// One store write that raises the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raise {
    /// The store entity (`crm`, `tasks.task`), as method specs name it in `[state] entity`.
    pub entity: String,
    /// The partition the record must stand in (`["2"]`: deals of the one CRM); empty: any.
    /// `"*"` matches any value that no other raise of the same entity and write names exactly.
    pub partition: Vec<String>,
    /// The kind of write.
    pub write: Write,
    /// The payload: a dotted path into `data` (`FIELDS.ID`) and where its value comes from.
    pub data: Vec<(Vec<String>, Source)>,
}

/// `[[raise]]` as written.
#[derive(Debug, Clone)]
pub struct RaiseAst {
    /// Where it stands.
    pub span: Range<usize>,
    /// `entity`.
    pub entity: Option<Sp<String>>,
    /// `partition`.
    pub partition: Vec<Sp<String>>,
    /// `write`.
    pub write: Option<Sp<String>>,
    /// `data`: path = source.
    pub data: Vec<(Sp<String>, Sp<String>)>,
}

/// Reads `[[raise]]` entries.
pub fn read(ctx: &mut Ctx<'_>, top: &TableReader<'_, '_>) -> Vec<RaiseAst> {
    let mut out = Vec::new();
    let Some((rows, _)) = top.tables(ctx, "raise") else {
        return out;
    };
    for (t, span) in rows {
        let r = TableReader::new(t, "a [[raise]] entry", RAISE_KEYS);
        let mut ast = RaiseAst {
            span,
            entity: r.string(ctx, "entity"),
            partition: r
                .strings(ctx, "partition")
                .map(|s| s.value)
                .unwrap_or_default(),
            write: r.string(ctx, "write"),
            data: Vec::new(),
        };
        if let Some((data, _)) = r.table(ctx, "data") {
            ast.data = data_pairs(ctx, data);
        }
        r.finish(ctx);
        out.push(ast);
    }
    out
}

fn data_pairs(ctx: &mut Ctx<'_>, data: &DeTable<'_>) -> Vec<(Sp<String>, Sp<String>)> {
    let mut out = Vec::new();
    for (k, v) in data.iter() {
        let key = Sp {
            value: k.get_ref().to_string(),
            span: k.span(),
        };
        match v.get_ref() {
            DeValue::String(s) => out.push((
                key,
                Sp {
                    value: s.to_string(),
                    span: v.span(),
                },
            )),
            _ => ctx.error_help(
                v.span(),
                format!("`{}` in [raise.data] must be a string", key.value),
                "write where the value comes from: `$id`, `$partition.0`, `$field.NAME` or `=TEXT`",
            ),
        }
    }
    out
}

/// Checks the entries against the payload they fill.
pub fn validate(ctx: &mut Ctx<'_>, rows: &[RaiseAst], data: Option<&Method>) -> Vec<Raise> {
    let mut out = Vec::new();
    for r in rows {
        let entity = match &r.entity {
            Some(e) if is_entity(&e.value) => Some(e.value.clone()),
            Some(e) => {
                ctx.error_help(
                    e.span.clone(),
                    format!("`{}` is not a store entity name", e.value),
                    "name the entity as method specs do in `[state] entity`, e.g. `crm`, `tasks.task`",
                );
                None
            }
            None => {
                ctx.error_help(
                    r.span.clone(),
                    "a [[raise]] entry has no `entity`",
                    "add `entity = \"crm\"`: the store whose writes raise the event",
                );
                None
            }
        };
        let write = match &r.write {
            Some(w) => match w.value.as_str() {
                "add" => Some(Write::Add),
                "update" => Some(Write::Update),
                "delete" => Some(Write::Delete),
                other => {
                    ctx.error_help(
                        w.span.clone(),
                        format!("`write = \"{other}\"` is not a kind of write"),
                        "use `add`, `update` or `delete`",
                    );
                    None
                }
            },
            None => {
                ctx.error_help(
                    r.span.clone(),
                    "a [[raise]] entry has no `write`",
                    "add `write = \"add\"` (or `update`, `delete`)",
                );
                None
            }
        };
        for p in &r.partition {
            if p.value.is_empty() {
                ctx.error(p.span.clone(), "an empty partition value matches nothing");
            }
        }
        let mut pairs = Vec::new();
        for (path, source) in &r.data {
            let segments: Vec<String> = path.value.split('.').map(str::to_string).collect();
            if segments.iter().any(String::is_empty) {
                ctx.error(
                    path.span.clone(),
                    format!("`{}` is not a dotted path", path.value),
                );
                continue;
            }
            if let Some(data) = data {
                if let Err(e) = check_path(data, &segments) {
                    ctx.error_help(
                        path.span.clone(),
                        format!("`{}` is not in the payload: {e}", path.value),
                        "paths name `[[fields]]` of the spec and the fields of their types",
                    );
                }
            }
            match parse_source(&source.value, r.partition.len()) {
                Ok(s) => pairs.push((segments, s)),
                Err(e) => ctx.error_help(
                    source.span.clone(),
                    e,
                    "use `$id`, `$partition.N`, `$field.NAME` or `=TEXT`",
                ),
            }
        }
        if let (Some(entity), Some(write)) = (entity, write) {
            out.push(Raise {
                entity,
                partition: r.partition.iter().map(|p| p.value.clone()).collect(),
                write,
                data: pairs,
            });
        }
    }
    out
}

fn is_entity(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Reads a source. `partitions`: how many partition values the entry names (0: not known).
fn parse_source(s: &str, partitions: usize) -> Result<Source, String> {
    if s == "$id" {
        return Ok(Source::Id);
    }
    if let Some(n) = s.strip_prefix("$partition.") {
        let n: usize = n
            .parse()
            .map_err(|_| format!("`{s}`: the partition index is not a number"))?;
        if partitions > 0 && n >= partitions {
            return Err(format!(
                "`{s}`: the entry's partition has {partitions} value(s)"
            ));
        }
        return Ok(Source::Partition(n));
    }
    if let Some(name) = s.strip_prefix("$field.") {
        if name.is_empty() {
            return Err(format!("`{s}` names no field"));
        }
        return Ok(Source::Field(name.to_string()));
    }
    if let Some(text) = s.strip_prefix('=') {
        return Ok(Source::Text(text.to_string()));
    }
    Err(format!("`{s}` is not a source"))
}

/// Follows `segments` through the payload's fields and struct types.
fn check_path(data: &Method, segments: &[String]) -> Result<(), String> {
    let mut fields: &[Field] = &data.params;
    for (i, seg) in segments.iter().enumerate() {
        let Some(f) = fields.iter().find(|f| &f.wire == seg) else {
            let known: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
            return Err(format!("no field `{seg}` (known: {})", known.join(", ")));
        };
        if i + 1 == segments.len() {
            return Ok(());
        }
        // Below a free-form value any path may stand.
        if matches!(&f.ty, Ty::Any) || matches!(&f.ty, Ty::Nullable(t) if **t == Ty::Any) {
            return Ok(());
        }
        let named = match &f.ty {
            Ty::Named(n) => Some(n),
            Ty::Nullable(inner) => match inner.as_ref() {
                Ty::Named(n) => Some(n),
                _ => None,
            },
            _ => None,
        };
        let inner = named.and_then(|n| data.types.iter().find(|t| &t.name == n));
        match inner.map(|t| &t.kind) {
            Some(TypeKind::Struct { fields: f, .. }) => fields = f,
            _ => return Err(format!("`{seg}` is not an object of known fields")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse() {
        assert_eq!(parse_source("$id", 0), Ok(Source::Id));
        assert_eq!(parse_source("$partition.0", 1), Ok(Source::Partition(0)));
        assert!(parse_source("$partition.1", 1).is_err());
        assert_eq!(
            parse_source("$field.TITLE", 0),
            Ok(Source::Field("TITLE".into()))
        );
        assert_eq!(parse_source("=N", 0), Ok(Source::Text("N".into())));
        assert!(parse_source("ID", 0).is_err());
        assert!(parse_source("$field.", 0).is_err());
    }
}

//! Rules of named types (`[types.*]` of a spec or of a folder's `_types.toml`).

use std::collections::{BTreeMap, BTreeSet};

use super::fields::fields;
use super::header::is_type_name;
use crate::ast::{EnumValueAst, Sp, TypeAst};
use crate::diag::Ctx;
use crate::model::{parse_type, EnumValue, TypeDef, TypeKind};
use crate::names;

/// Names a method's own module already uses for generated items.
const RESERVED: &[&str] = &["Error"];

/// Checks the named types; `known` are all type names in reach. Returns the types and whether
/// their names are usable for generated code.
pub(crate) fn named_types(
    ctx: &mut Ctx<'_>,
    types: &[TypeAst],
    known: &[&str],
) -> (Vec<TypeDef>, bool) {
    let mut sound = types.iter().all(|t| pascal_name(ctx, &t.name));
    sound &= types.iter().all(|t| not_reserved(ctx, &t.name));
    let mut out = Vec::new();
    for t in types {
        if let Some(kind) = kind(ctx, t, known) {
            out.push(TypeDef {
                name: t.name.value.clone(),
                rust_name: t.name.value.clone(),
                description: t.description.clone(),
                kind,
                shared: None,
            });
        }
    }
    sound &= !cycles(ctx, types);
    sound &= no_reference_clash(ctx, types, &out);
    (out, sound)
}

/// A type name is PascalCase.
fn pascal_name(ctx: &mut Ctx<'_>, name: &Sp<String>) -> bool {
    let ok = is_type_name(&name.value);
    if !ok {
        ctx.error_help(
            name.span.clone(),
            format!("type name `{}` is not PascalCase", name.value),
            "name types like `Fields` or `LangEntry`",
        );
    }
    ok
}

/// A type is not named like an item every method generates (`Error`).
fn not_reserved(ctx: &mut Ctx<'_>, name: &Sp<String>) -> bool {
    let ok = !RESERVED.contains(&name.value.as_str());
    if !ok {
        ctx.error_help(
            name.span.clone(),
            format!(
                "type name `{}` is taken by the method's error enum",
                name.value
            ),
            "rename the type, e.g. `ErrorInfo`",
        );
    }
    ok
}

/// A type is a struct (`fields`) or an enum (`values`), not both and not neither.
fn kind(ctx: &mut Ctx<'_>, t: &TypeAst, known: &[&str]) -> Option<TypeKind> {
    match (&t.fields, &t.values) {
        (Some(_), Some(v)) => {
            ctx.error_help(
                v.span.clone(),
                format!("type `{}` has both `fields` and `values`", t.name.value),
                "a type is either a struct (`fields`) or an enum (`values`)",
            );
            None
        }
        (None, None) => {
            ctx.error_help(
                t.name.span.clone(),
                format!("type `{}` has neither `fields` nor `values`", t.name.value),
                "add `[[types.Name.fields]]` entries for a struct or `values = [...]` for an enum",
            );
            None
        }
        (Some(f), None) => {
            let fields = fields(ctx, &f.value, known, "field");
            let min_fields = min_fields(ctx, t, fields.len());
            Some(TypeKind::Struct { fields, min_fields })
        }
        (None, Some(v)) => {
            if let Some(m) = &t.min_fields {
                ctx.error(m.span.clone(), "`min_fields` applies to structs, not enums");
            }
            Some(TypeKind::Enum {
                values: enum_values(ctx, &t.name.value, v),
            })
        }
    }
}

/// `min_fields` is between 0 and the number of fields.
fn min_fields(ctx: &mut Ctx<'_>, t: &TypeAst, count: usize) -> usize {
    match &t.min_fields {
        Some(m) if m.value < 0 || m.value as usize > count => {
            ctx.error_help(
                m.span.clone(),
                format!(
                    "`min_fields = {}` but type `{}` has {count} fields",
                    m.value, t.name.value
                ),
                "use a number between 0 and the number of fields",
            );
            0
        }
        Some(m) => m.value as usize,
        None => 0,
    }
}

/// An enum lists at least one value, and no two values share a Rust variant.
fn enum_values(ctx: &mut Ctx<'_>, name: &str, v: &Sp<Vec<EnumValueAst>>) -> Vec<EnumValue> {
    if v.value.is_empty() {
        ctx.error_help(
            v.span.clone(),
            format!("enum type `{name}` has no values"),
            "list the allowed values: `values = [{ value = \"…\" }]`",
        );
    }
    let mut seen = BTreeSet::new();
    v.value
        .iter()
        .filter_map(|e| {
            let mut variant = names::variant_name(&e.value.value);
            // `Unknown(String)` is the catch-all for values the spec does not list.
            if variant == "Unknown" {
                variant = "UnknownValue".to_string();
            }
            if !seen.insert(variant.clone()) {
                ctx.error(
                    e.value.span.clone(),
                    format!(
                        "enum value `{}` repeats (or has the same Rust name as) another value",
                        e.value.value
                    ),
                );
                return None;
            }
            Some(EnumValue {
                value: e.value.value.clone(),
                variant,
                description: e.description.clone(),
            })
        })
        .collect()
}

/// No type is named like the batch reference type of a struct (`<Name>Ref`). True when none is.
fn no_reference_clash(ctx: &mut Ctx<'_>, asts: &[TypeAst], types: &[TypeDef]) -> bool {
    let references: BTreeMap<String, &str> = types
        .iter()
        .filter(|t| matches!(t.kind, TypeKind::Struct { .. }))
        .map(|t| (format!("{}Ref", t.rust_name), t.name.as_str()))
        .collect();
    let mut ok = true;
    for ast in asts {
        if let Some(owner) = references.get(&ast.name.value) {
            ok = false;
            ctx.error_help(ast.name.span.clone(), format!("type `{}` is named like the batch reference type of `{owner}`", ast.name.value), "rename the type; names ending in `Ref` are taken by the reference types of structs");
        }
    }
    ok
}

/// A struct may not contain itself other than through a list or a map. True when one does.
fn cycles(ctx: &mut Ctx<'_>, types: &[TypeAst]) -> bool {
    let edges: BTreeMap<String, Vec<String>> = types
        .iter()
        .map(|t| {
            let inline = t
                .fields
                .iter()
                .flat_map(|f| f.value.iter())
                .filter_map(|f| f.ty.as_ref())
                .filter_map(|ty| parse_type(&ty.value).ok())
                .filter_map(|ty| ty.named_inline().map(str::to_string))
                .collect();
            (t.name.value.clone(), inline)
        })
        .collect();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for t in types {
        let start = t.name.value.as_str();
        if reported.contains(start) {
            continue;
        }
        if let Some(cycle) = find_cycle(&edges, start, &mut vec![start]) {
            reported.extend(cycle.iter().cloned());
            ctx.error_help(
                t.name.span.clone(),
                format!("type `{start}` contains itself: {}", cycle.join(" -> ")),
                "break the cycle with a list (`[T]`) or a map (`{T}`)",
            );
        }
    }
    !reported.is_empty()
}

fn find_cycle<'a>(
    edges: &'a BTreeMap<String, Vec<String>>,
    start: &str,
    path: &mut Vec<&'a str>,
) -> Option<Vec<String>> {
    let last = *path.last()?;
    for next in edges.get(last).into_iter().flatten() {
        if next == start {
            let mut cycle: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            cycle.push(next.clone());
            return Some(cycle);
        }
        if path.contains(&next.as_str()) {
            continue;
        }
        path.push(next);
        if let Some(c) = find_cycle(edges, start, path) {
            return Some(c);
        }
        path.pop();
    }
    None
}

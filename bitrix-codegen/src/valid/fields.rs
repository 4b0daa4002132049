//! Rules of fields (`[[params]]` and a struct's `fields`) and of type expressions.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::ast::{FieldAst, Sp, TypeAst};
use crate::diag::{did_you_mean, Ctx};
use crate::model::{parse_type, Field, Method, Ty, TypeKind, PRIMITIVES};
use crate::names;

/// Checks a list of fields; `known` are the type names in reach, `what` names a field in messages.
pub(crate) fn fields(
    ctx: &mut Ctx<'_>,
    rows: &[FieldAst],
    known: &[&str],
    what: &str,
) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    let mut wire_seen: BTreeMap<String, Range<usize>> = BTreeMap::new();
    let mut rust_seen: BTreeMap<String, String> = BTreeMap::new();
    for row in rows {
        let Some(name) = named(ctx, row, what) else {
            continue;
        };
        let ty = typed(ctx, row, name, known, what);
        if !unique_wire_name(ctx, name, &mut wire_seen, what) {
            continue;
        }
        let rust = names::field_ident(&name.value);
        if !usable_rust_name(ctx, name, &rust, &mut rust_seen, what) {
            continue;
        }
        if let Some(ty) = ty {
            out.push(Field {
                wire: name.value.clone(),
                rust,
                ty,
                required: row.required,
                description: row.description.clone(),
                default: row.default.clone(),
                aliases: row
                    .aliases
                    .iter()
                    .flat_map(|a| a.value.iter().map(|n| n.value.clone()))
                    .collect(),
            });
        }
    }
    out
}

/// A field has a non-empty `name`.
fn named<'a>(ctx: &mut Ctx<'_>, row: &'a FieldAst, what: &str) -> Option<&'a Sp<String>> {
    let Some(name) = &row.name else {
        ctx.error_help(
            row.span.clone(),
            format!("a {what} has no `name`"),
            "add `name = \"WIRE_NAME\"`",
        );
        return None;
    };
    if name.value.is_empty() {
        ctx.error(name.span.clone(), format!("a {what} has an empty name"));
        return None;
    }
    Some(name)
}

/// A field has a `type` that parses and names only types in reach.
fn typed(
    ctx: &mut Ctx<'_>,
    row: &FieldAst,
    name: &Sp<String>,
    known: &[&str],
    what: &str,
) -> Option<Ty> {
    match &row.ty {
        None => {
            ctx.error_help(
                name.span.clone(),
                format!("{what} `{}` has no `type`", name.value),
                "add `type = \"string\"` or another type expression",
            );
            None
        }
        Some(t) => type_expr(ctx, t, known),
    }
}

/// A wire name appears once in a list of fields.
fn unique_wire_name(
    ctx: &mut Ctx<'_>,
    name: &Sp<String>,
    seen: &mut BTreeMap<String, Range<usize>>,
    what: &str,
) -> bool {
    if seen.insert(name.value.clone(), name.span.clone()).is_some() {
        ctx.error_help(
            name.span.clone(),
            format!("duplicate {what} `{}`", name.value),
            "each name may appear once; remove or rename the copy",
        );
        return false;
    }
    true
}

/// A field's Rust name is not `extra` and not the Rust name of another field.
fn usable_rust_name(
    ctx: &mut Ctx<'_>,
    name: &Sp<String>,
    rust: &str,
    seen: &mut BTreeMap<String, String>,
    what: &str,
) -> bool {
    if rust == "extra" {
        ctx.error_help(
            name.span.clone(),
            format!(
                "{what} `{}` would be named `extra` in Rust, which holds unknown fields",
                name.value
            ),
            "this name is reserved",
        );
        return false;
    }
    if let Some(other) = seen.insert(rust.to_string(), name.value.clone()) {
        ctx.error_help(name.span.clone(), format!("{what}s `{other}` and `{}` both become `{rust}` in Rust", name.value), "Rust names are the snake case of wire names; two wire names that differ only in case cannot both be fields");
        return false;
    }
    true
}

/// A type expression parses, and every name in it is a declared or shared type.
pub(super) fn type_expr(ctx: &mut Ctx<'_>, t: &Sp<String>, known: &[&str]) -> Option<Ty> {
    match parse_type(&t.value) {
        Ok(ty) => {
            let mut ok = true;
            for n in ty.named() {
                if !known.contains(&n) {
                    ok = false;
                    // A PascalCase name is meant as a named type: suggest declared types only.
                    let help = match did_you_mean(n, known.iter().copied()) {
                        Some(c) => format!("did you mean `{c}`?"),
                        None => format!("declare it as `[types.{n}]` (here or in the folder's `_types.toml`), or use a primitive: {}", PRIMITIVES.join(", ")),
                    };
                    ctx.error_help(
                        t.span.clone(),
                        format!("type `{n}` is not defined in this spec"),
                        help,
                    );
                }
            }
            ok.then_some(ty)
        }
        Err(e) => {
            let word = t.value.trim_matches(|c| "[]{}?".contains(c));
            let help = match did_you_mean(
                word,
                PRIMITIVES.iter().copied().chain(known.iter().copied()),
            ) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "see the type table in specs/README.md".to_string(),
            };
            // `unknown type `integr`` says it all when the whole expression is the unknown word.
            let message = if t.value.trim() == word {
                e
            } else {
                format!("bad type `{}`: {e}", t.value)
            };
            ctx.error_help(t.span.clone(), message, help);
            None
        }
    }
}

/// `select<T>`, `filter<T>` and `conditions<T>` name a struct (the object whose fields they
/// pick), not an enum.
pub(super) fn query_types_name_structs(ctx: &mut Ctx<'_>, rows: &[FieldAst], method: &Method) {
    for row in rows {
        let Some(t) = &row.ty else { continue };
        let Ok(ty) = parse_type(&t.value) else {
            continue;
        };
        let inner = match &ty {
            Ty::Nullable(inner) => inner.as_ref(),
            other => other,
        };
        if let Ty::Select(n) | Ty::Filter(n) | Ty::Conditions(Some(n)) = inner {
            let is_struct = method
                .type_def(n)
                .is_some_and(|d| matches!(d.kind, TypeKind::Struct { .. }));
            if !is_struct {
                ctx.error_help(
                    t.span.clone(),
                    format!("`{}` needs a struct type, and `{n}` is not one", t.value),
                    "name the struct a REST 3.0 method answers (e.g. `select<Task>` with `[types.Task]` declaring `fields`)",
                );
            }
        }
    }
}

/// `aliases` name older spellings the portal still reads a parameter under: each must be a name
/// no other parameter (or alias) takes, and differ from the parameter's own name; compared up to
/// case unless the spec says `param_case = "exact"`, since a portal that reads any case would
/// find the clash under either. Only `[[params]]` have them: a type's fields are read by the
/// portal inside a parameter, where no older name is documented.
pub(crate) fn aliases(ctx: &mut Ctx<'_>, params: &[FieldAst], types: &[TypeAst], exact: bool) {
    let same = |a: &str, b: &str| {
        if exact {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    // Every name a parameter is read under so far: (name, the parameter it reads).
    let mut taken: Vec<(&str, &str)> = params
        .iter()
        .filter_map(|p| p.name.as_ref())
        .map(|n| (n.value.as_str(), n.value.as_str()))
        .collect();
    for p in params {
        let (Some(name), Some(list)) = (&p.name, &p.aliases) else {
            continue;
        };
        for alias in &list.value {
            if alias.value.trim().is_empty() {
                ctx.error(alias.span.clone(), "an empty alias");
                continue;
            }
            if same(&alias.value, &name.value) {
                ctx.error_help(
                    alias.span.clone(),
                    format!("alias `{}` is the parameter's own name", alias.value),
                    if exact {
                        "leave it out"
                    } else {
                        "a portal reads any case of the name already; leave it out"
                    },
                );
                continue;
            }
            if let Some((_, owner)) = taken.iter().find(|(n, _)| same(n, &alias.value)) {
                ctx.error_help(
                    alias.span.clone(),
                    format!(
                        "alias `{}` of `{}` clashes with `{owner}`",
                        alias.value, name.value
                    ),
                    "a name may read one parameter only; remove the alias, or check which parameter the portal reads under it",
                );
                continue;
            }
            taken.push((alias.value.as_str(), name.value.as_str()));
        }
    }
    for t in types {
        for row in t.fields.iter().flat_map(|f| f.value.iter()) {
            if let Some(list) = &row.aliases {
                ctx.error_help(
                    list.span.clone(),
                    format!("a field of `{}` has `aliases`", t.name.value),
                    "only `[[params]]` take aliases: the portal reads older names of top-level parameters",
                );
            }
        }
    }
}

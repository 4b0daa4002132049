//! Rules of the documented error rows (`[[errors]]`).

use std::collections::{BTreeMap, BTreeSet};

use super::header::is_type_name;
use crate::ast::ErrorAst;
use crate::diag::Ctx;
use crate::model::ErrorDef;
use crate::names;

/// Checks the error rows and gives each its Rust variant.
pub(super) fn errors(ctx: &mut Ctx<'_>, rows: &[ErrorAst]) -> Vec<ErrorDef> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for c in rows.iter().filter_map(|r| r.code.as_ref()) {
        *count.entry(c.value.as_str()).or_default() += 1;
    }
    let mut out: Vec<ErrorDef> = Vec::new();
    let mut variants: BTreeSet<String> = BTreeSet::new();
    let mut texts: BTreeSet<(String, String)> = BTreeSet::new();
    for r in rows {
        let Some(code) = coded(ctx, r) else { continue };
        // An empty code says nothing by itself: its rows are always told apart by description.
        let shared = count[code] > 1 || code.is_empty();
        if shared && !distinct_text(ctx, r, code, &mut texts) {
            continue;
        }
        let Some(variant) = variant(ctx, r, code, shared) else {
            continue;
        };
        told_apart(ctx, r, code, shared);
        if !variant_usable(ctx, r, &variant, &mut variants) {
            continue;
        }
        out.push(ErrorDef {
            code: code.to_string(),
            description: r.description.clone(),
            meaning: r.meaning.clone(),
            status: status(ctx, r),
            variant,
            shared_code: shared,
        });
    }
    out
}

/// A row has a `code`. It may be empty (`code = ""`: some modules answer
/// `{"error": "", "error_description": "Not found"}`) when the row gives the server's
/// `description`, which then identifies it, and names its `variant`.
fn coded<'a>(ctx: &mut Ctx<'_>, r: &'a ErrorAst) -> Option<&'a str> {
    let Some(code) = &r.code else {
        ctx.error_help(
            r.span.clone(),
            "an [[errors]] row has no `code`",
            "add `code = \"ERROR_CODE\"` as the server sends it",
        );
        return None;
    };
    if code.value.is_empty() {
        let described = r
            .description
            .as_deref()
            .is_some_and(|d| !d.trim().is_empty());
        if !described || r.variant.is_none() {
            ctx.error_help(
                code.span.clone(),
                "an error `code` is empty, but the row lacks a `description` or a `variant`",
                "a row sent with an empty code needs the server's `error_description` as `description` and its own `variant`",
            );
            return None;
        }
        return Some(&code.value);
    }
    if code.value.trim().is_empty() {
        ctx.error(code.span.clone(), "an error `code` is blank");
        return None;
    }
    Some(&code.value)
}

/// The row's variant: its own `variant` (PascalCase), else its code without `Error`; rows that
/// share a code must name theirs.
fn variant(ctx: &mut Ctx<'_>, r: &ErrorAst, code: &str, shared: bool) -> Option<String> {
    match &r.variant {
        Some(v) => {
            if !is_type_name(&v.value) {
                ctx.error_help(
                    v.span.clone(),
                    format!("variant `{}` is not a PascalCase name", v.value),
                    "e.g. `variant = \"EmptyFields\"`",
                );
            }
            Some(v.value.clone())
        }
        None if shared => {
            let span = r.code.as_ref().map_or(r.span.clone(), |c| c.span.clone());
            ctx.error_help(
                span,
                format!("code `{code}` appears in several rows, so each needs its own `variant`"),
                "add `variant = \"…\"` to each row, e.g. `EmptyFields` and `UpdateFailed`",
            );
            None
        }
        None => Some(names::error_variant_name(code)),
    }
}

/// Rows that share a code carry the server's description, which tells them apart.
fn told_apart(ctx: &mut Ctx<'_>, r: &ErrorAst, code: &str, shared: bool) {
    if shared && r.description.as_deref().is_none_or(str::is_empty) {
        let span = r.code.as_ref().map_or(r.span.clone(), |c| c.span.clone());
        ctx.error_help(
            span,
            format!("code `{code}` appears in several rows; this one has no `description`"),
            "give the server's `error_description` so the rows can be told apart",
        );
    }
}

/// Rows told apart by text need different texts (as the runtime compares them: case and
/// surrounding space aside); the second of two rows with one text could never be matched.
fn distinct_text(
    ctx: &mut Ctx<'_>,
    r: &ErrorAst,
    code: &str,
    seen: &mut BTreeSet<(String, String)>,
) -> bool {
    let Some(d) = r.description.as_deref().filter(|d| !d.trim().is_empty()) else {
        return true;
    };
    if seen.insert((code.to_string(), d.trim().to_lowercase())) {
        return true;
    }
    let span = r.code.as_ref().map_or(r.span.clone(), |c| c.span.clone());
    ctx.error_help(
        span,
        format!("two error rows with code `{code}` have the description \"{d}\""),
        "the runtime tells such rows apart by their text: merge them into one row",
    );
    false
}

/// A variant is not `Unknown` (the catch-all) and not another row's.
fn variant_usable(
    ctx: &mut Ctx<'_>,
    r: &ErrorAst,
    variant: &str,
    seen: &mut BTreeSet<String>,
) -> bool {
    let span = r
        .variant
        .as_ref()
        .or(r.code.as_ref())
        .map_or(r.span.clone(), |s| s.span.clone());
    if variant == "Unknown" {
        ctx.error_help(
            span,
            "the error variant `Unknown` is reserved for codes the spec does not list",
            "set another `variant` on this row, e.g. `variant = \"UnknownEntity\"`",
        );
        return false;
    }
    if !seen.insert(variant.to_string()) {
        ctx.error_help(
            span,
            format!("two error rows have the Rust variant `{variant}`"),
            "set a distinct `variant` on one of them",
        );
        return false;
    }
    true
}

/// A row's status is an HTTP error status (default 400), or 200 for the modules that answer
/// errors with HTTP 200 (the page says so; the runtime reads the body whatever the status).
fn status(ctx: &mut Ctx<'_>, r: &ErrorAst) -> u16 {
    match &r.status {
        Some(s) if s.value != 200 && !(400..=599).contains(&s.value) => {
            ctx.error_help(
                s.span.clone(),
                format!("error status {} is not an HTTP error status", s.value),
                "use a status from 400 to 599, or 200 where the page says errors come with HTTP 200",
            );
            400
        }
        Some(s) => s.value as u16,
        None => 400,
    }
}

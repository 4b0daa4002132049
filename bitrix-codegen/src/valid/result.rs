//! Rules of `[result]`.

use super::fields::type_expr;
use crate::ast::ResultAst;
use crate::diag::Ctx;
use crate::model::ResultDef;

/// `[result]` is present with a `type`; `items` only on paged results.
pub(super) fn result(
    ctx: &mut Ctx<'_>,
    r: &Option<ResultAst>,
    known: &[&str],
) -> Option<ResultDef> {
    let Some(r) = r else {
        ctx.error_help(
            0..0,
            "the spec has no `[result]`",
            "add `[result]` with `type = \"…\"` (e.g. `boolean`)",
        );
        return None;
    };
    // A file answer: no JSON to type.
    let binary = r.ty.as_ref().is_some_and(|t| t.value == "binary");
    let ty = match &r.ty {
        Some(_) if binary => {
            if r.paged {
                ctx.error_help(
                    r.span.clone(),
                    "a `binary` result cannot be `paged`",
                    "remove `paged = true`: a file answer has no pages",
                );
            }
            Some(crate::model::Ty::Any)
        }
        None => {
            ctx.error_help(
                r.span.clone(),
                "`[result]` has no `type`",
                "add `type = \"boolean\"` or another type expression",
            );
            None
        }
        Some(t) => type_expr(ctx, t, known),
    };
    if let (Some(items), false) = (&r.items, r.paged) {
        ctx.error_help(
            items.span.clone(),
            "`items` is only meaningful with `paged = true`",
            "add `paged = true` or remove `items`",
        );
    }
    Some(ResultDef {
        ty: ty?,
        description: r.description.clone(),
        paged: r.paged,
        items: r.items.as_ref().map(|i| i.value.clone()),
        binary,
    })
}

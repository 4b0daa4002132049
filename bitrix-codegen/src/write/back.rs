//! A spec file read back into the writer's model ([`Spec`]): what the writer would write for it.
//! Keys the model does not hold (descriptions, `auth`, `[[reviewed]]`, most of `[state]`) are
//! left out here; [`super::merge()`] keeps them when the file is written over.

use crate::ast::{Sp, SpecAst};
use crate::diag::{Ctx, Diagnostic};
use crate::source::SpecSource;

use super::spec::{ErrorRow, Example, Field, Origin, ResultDef, Spec, State, TypeDef};

/// The writer's model of a spec file, or the problems that kept its TOML from being read (syntax
/// errors and unknown keys; the rules of the format are not checked).
pub fn from_source(source: &SpecSource) -> Result<Spec, Vec<Diagnostic>> {
    let mut ctx = Ctx::new(&source.display, &source.text);
    let ast = crate::read::read_spec(&mut ctx, &source.text);
    let problems = ctx.finish();
    match ast {
        Some(ast) if problems.is_empty() => Ok(from_ast(
            &ast,
            source.stem().is_some_and(|s| s.ends_with("@v3")),
        )),
        _ => Err(problems),
    }
}

/// The writer's model of a read spec; `twin`: its file is the `@v3` twin of a REST 2 spec.
pub fn from_ast(ast: &SpecAst, twin: bool) -> Spec {
    let text = |s: &Option<Sp<String>>| s.as_ref().map(|s| s.value.clone());
    let field = |f: &crate::ast::FieldAst| Field {
        name: text(&f.name).unwrap_or_default(),
        ty: text(&f.ty).unwrap_or_default(),
        required: f.required,
    };
    Spec {
        method: text(&ast.method).unwrap_or_default(),
        origin: match text(&ast.origin).as_deref() {
            Some("import") => Origin::Import,
            Some(_) => Origin::Hand,
            None => Origin::Unsaid,
        },
        scope: text(&ast.scope).unwrap_or_default(),
        rest: ast
            .rest
            .as_ref()
            .map_or(2, |r| u8::try_from(r.value).unwrap_or(0)),
        twin,
        docs: ast.docs.clone().unwrap_or_default(),
        deprecated: ast.deprecated.as_ref().map(|d| text(&d.replacement)),
        params: ast.params.iter().map(field).collect(),
        types: ast
            .types
            .iter()
            .map(|t| TypeDef {
                name: t.name.value.clone(),
                fields: t
                    .fields
                    .as_ref()
                    .map(|f| f.value.iter().map(field).collect())
                    .unwrap_or_default(),
                values: t
                    .values
                    .as_ref()
                    .map(|v| v.value.iter().map(|v| v.value.value.clone()).collect())
                    .unwrap_or_default(),
            })
            .collect(),
        result: ast
            .result
            .as_ref()
            .map_or_else(ResultDef::default, |r| ResultDef {
                ty: text(&r.ty).unwrap_or_else(|| "any".into()),
                paged: r.paged,
                items: text(&r.items),
            }),
        errors: ast
            .errors
            .iter()
            .map(|e| ErrorRow {
                code: text(&e.code).unwrap_or_default(),
                description: e.description.clone(),
                status: e.status.as_ref().and_then(|s| u16::try_from(s.value).ok()),
                variant: text(&e.variant),
            })
            .collect(),
        examples: ast
            .examples
            .iter()
            .map(|e| Example {
                name: text(&e.name).unwrap_or_default(),
                request: text(&e.request).map(unblock),
                status: e
                    .status
                    .as_ref()
                    .and_then(|s| u16::try_from(s.value).ok())
                    .unwrap_or(200),
                response: text(&e.response).map(unblock),
            })
            .collect(),
        state: ast.state.as_ref().map(|s| State {
            entity: text(&s.entity).unwrap_or_default(),
            action: text(&s.action).unwrap_or_default(),
            id: text(&s.id),
            fields: text(&s.fields),
            key: text(&s.key),
            wrap: text(&s.wrap),
            not_found: text(&s.not_found),
            answer: text(&s.answer),
        }),
        todo: ast.todo.clone(),
        idempotent: ast.idempotent,
    }
}

/// A multi-line string's text without the newline before its closing quotes, which
/// [`super::toml::block`] adds: the JSON text the writer was given.
fn unblock(s: String) -> String {
    match s.strip_suffix('\n') {
        Some(t) => t.to_string(),
        None => s,
    }
}

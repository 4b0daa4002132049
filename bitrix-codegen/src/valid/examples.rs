//! Rules of the documented examples (`[[examples]]`), checked against the method they document.

use std::collections::BTreeSet;

use crate::ast::{ExampleAst, Sp};
use crate::diag::Ctx;
use crate::model::{Example, Method};

/// Checks the examples: named once each, JSON bodies, requests that fit the parameters, answers
/// of the right shape for their status.
pub(super) fn examples(ctx: &mut Ctx<'_>, rows: &[ExampleAst], method: &Method) -> Vec<Example> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for r in rows {
        let Some(name) = &r.name else {
            ctx.error_help(
                r.span.clone(),
                "an example has no `name`",
                "add `name = \"snake_case_name\"`",
            );
            continue;
        };
        if !seen.insert(name.value.clone()) {
            ctx.error(
                name.span.clone(),
                format!("two examples are named `{}`", name.value),
            );
        }
        let status = r
            .status
            .as_ref()
            .map_or(200, |s| s.value.clamp(100, 599) as u16);
        out.push(Example {
            name: name.value.clone(),
            description: r.description.clone(),
            request: r
                .request
                .as_ref()
                .and_then(|req| request(ctx, req, &name.value, method)),
            status,
            response: r
                .response
                .as_ref()
                .and_then(|resp| response(ctx, resp, &name.value, status)),
        });
    }
    out
}

/// A request is JSON whose keys are the method's parameters, required ones included.
fn request(
    ctx: &mut Ctx<'_>,
    req: &Sp<String>,
    name: &str,
    method: &Method,
) -> Option<serde_json::Value> {
    let v = json(ctx, req, "request")?;
    if let Err(problem) = method.check_request(&v, false) {
        ctx.error_help(
            req.span.clone(),
            format!("example `{name}`: {problem}"),
            "the example request must use the spec's own parameters",
        );
    }
    Some(v)
}

/// A success answer has `result`, an error answer has `error`.
fn response(
    ctx: &mut Ctx<'_>,
    resp: &Sp<String>,
    name: &str,
    status: u16,
) -> Option<serde_json::Value> {
    let v = json(ctx, resp, "response")?;
    let key = if status < 300 { "result" } else { "error" };
    if v.get(key).is_none() {
        ctx.error_help(
            resp.span.clone(),
            format!("example `{name}` answers {status} but its response has no `{key}`"),
            "a success answer has `result`, an error answer has `error`",
        );
    }
    Some(v)
}

/// Example bodies are valid JSON.
pub(crate) fn json(ctx: &mut Ctx<'_>, text: &Sp<String>, what: &str) -> Option<serde_json::Value> {
    match serde_json::from_str(&text.value) {
        Ok(v) => Some(v),
        Err(e) => {
            ctx.error_help(
                text.span.clone(),
                format!("example {what} is not valid JSON: {e}"),
                "paste the JSON body exactly as documented",
            );
            None
        }
    }
}

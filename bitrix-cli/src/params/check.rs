//! Checks of a finished request body against the spec: unknown keys (with the closest name),
//! missing required parameters (named, with their type), values of the wrong type.

use bitrix_codegen::diag::did_you_mean;
use bitrix_codegen::model::{Required, Ty};
use bitrix_codegen::Method;
use serde_json::Value;

use crate::failure::Failure;

/// The refusal of a key that is no parameter, with the closest parameter name.
pub fn unknown_param(method: &Method, key: &str) -> Failure {
    let hint = did_you_mean(key, method.params.iter().map(|p| p.wire.as_str()))
        .map(|s| format!("; did you mean `{s}`?"))
        .unwrap_or_default();
    let known = method
        .params
        .iter()
        .map(|p| p.wire.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Failure::usage(format!(
        "`{key}` is not a parameter of {}{hint}\n  parameters: {}\n  (--raw sends it unchecked)",
        method.name,
        if known.is_empty() { "none" } else { &known }
    ))
}

/// Checks a finished body against the spec: every required parameter present (named, with its
/// type), every value of its type. `webhook`: `required = "webhook"` parameters are required too.
pub fn check_body(method: &Method, body: &Value, webhook: bool) -> Result<(), Failure> {
    let missing: Vec<String> = method
        .params
        .iter()
        .filter(|p| p.required == Required::Yes || (webhook && p.required == Required::Webhook))
        .filter(|p| body.get(&p.wire).is_none_or(Value::is_null))
        .map(|p| {
            let about = p
                .description
                .as_deref()
                .map(|d| format!(": {}", first_sentence(d)))
                .unwrap_or_default();
            format!("  {}={} ({}){about}", p.wire, placeholder(&p.ty), p.ty)
        })
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing
            .iter()
            .filter_map(|l| l.trim_start().split('=').next())
            .collect();
        return Err(Failure::usage(format!(
            "{} needs the required parameter{} `{}`:\n{}",
            method.name,
            if names.len() == 1 { "" } else { "s" },
            names.join("`, `"),
            missing.join("\n")
        )));
    }
    method
        .check_request(body, webhook)
        .map_err(|problem| Failure::usage(format!("{}: {problem}", method.name)))
}

/// Checks the keys of a batch command's parameters (unknown, missing) and the types of the values
/// that are not `$result[...]` references (those are only known on the portal).
pub fn check_batch_params(method: &Method, params: &Value, webhook: bool) -> Result<(), Failure> {
    let Value::Object(map) = params else {
        return Err(Failure::usage("parameters must be a JSON object"));
    };
    if let Some(key) = map.keys().find(|k| method.param(k).is_none()) {
        return Err(unknown_param(method, key));
    }
    match check_body(method, params, webhook) {
        Err(f) if f.message.contains("\"$result[") => Ok(()),
        other => other,
    }
}

fn first_sentence(text: &str) -> &str {
    let text = text.trim();
    match text.find(". ") {
        Some(i) => &text[..=i],
        None => text,
    }
}

fn placeholder(ty: &Ty) -> &'static str {
    match ty {
        Ty::Nullable(t) => placeholder(t),
        Ty::Integer => "42",
        Ty::Double => "1.5",
        Ty::Boolean | Ty::Flag => "true",
        Ty::List(_) => "a,b",
        Ty::Named(_) | Ty::Map(_) => "...",
        _ => "TEXT",
    }
}

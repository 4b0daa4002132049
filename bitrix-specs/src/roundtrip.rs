//! The SDK's generated tests rebuild each documented request through the typed request and
//! compare the JSON, and map each documented error answer to a documented row. This module
//! predicts both, so that the importer keeps only examples those tests accept.

use bitrix_codegen::model::{Method, Ty, TypeKind};
use serde_json::Value;

/// Where the typed request would send `value` differently from how the page wrote it.
pub fn request_differs(method: &Method, body: &Value) -> Option<String> {
    let Value::Object(map) = body else {
        return Some("(top)".into());
    };
    for (k, v) in map {
        let p = method.param(k)?;
        if let Some(at) = differs(method, &p.ty, v, k) {
            return Some(at);
        }
    }
    None
}

fn differs(method: &Method, ty: &Ty, v: &Value, path: &str) -> Option<String> {
    let bad = || Some(path.to_string());
    match (ty, v) {
        (Ty::Any, _) => None,
        (Ty::Nullable(_), Value::Null) => None,
        (Ty::Nullable(inner), _) => differs(method, inner, v, path),
        (Ty::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => None,
        (Ty::Double, Value::Number(_)) => None,
        (Ty::String | Ty::Url | Ty::Date | Ty::DateTime, Value::String(_)) => None,
        (Ty::Boolean, Value::Bool(_)) => None,
        (Ty::Select(_), Value::Array(a)) if a.iter().all(Value::is_string) => None,
        (Ty::Filter(_), Value::Array(a)) if a.iter().all(|c| c.is_array() || c.is_object()) => None,
        (Ty::Conditions(_), Value::Object(_)) => None,
        (Ty::Flag, Value::String(s)) if s == "Y" || s == "N" => None,
        (Ty::File, Value::Array(a)) if a.iter().all(Value::is_string) && !a.is_empty() => None,
        (Ty::LangText, Value::String(_)) => None,
        (Ty::LangText, Value::Object(m)) if m.values().all(Value::is_string) => None,
        (Ty::OneOrMany(inner), Value::Array(a)) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| differs(method, inner, x, &format!("{path}[{i}]"))),
        (Ty::OneOrMany(inner), _) if !v.is_object() => differs(method, inner, v, path),
        (Ty::List(inner), Value::Array(a)) => a
            .iter()
            .enumerate()
            .find_map(|(i, x)| differs(method, inner, x, &format!("{path}[{i}]"))),
        (Ty::Map(inner), Value::Object(m)) => m
            .iter()
            .find_map(|(k, x)| differs(method, inner, x, &format!("{path}.{k}"))),
        (Ty::Named(name), _) => match method.type_def(name).map(|d| &d.kind) {
            Some(TypeKind::Enum { values }) => match v {
                Value::String(s) if values.iter().any(|x| &x.value == s) => None,
                _ => bad(),
            },
            Some(TypeKind::Struct { fields, .. }) => match v {
                Value::Object(m) => fields.iter().find_map(|f| {
                    m.get(&f.wire).and_then(|x| {
                        if x.is_null() && !matches!(f.ty, Ty::Nullable(_) | Ty::Any) {
                            return Some(format!("{path}.{}", f.wire));
                        }
                        differs(method, &f.ty, x, &format!("{path}.{}", f.wire))
                    })
                }),
                _ => bad(),
            },
            None => bad(),
        },
        _ => bad(),
    }
}

/// Whether a documented error answer maps to a row of the spec or to a system error.
/// REST 3.0 answers carry `{"error": {"code", "message"}}` instead of `error` and
/// `error_description`.
pub fn error_known(method: &Method, answer: &Value) -> bool {
    let (code, description) = match answer.get("error") {
        Some(Value::Object(e)) => (e.get("code"), e.get("message")),
        _ => (answer.get("error"), answer.get("error_description")),
    };
    // Some modules send the code as a number (`200040300000`); the runtime reads its digits.
    let numeric = code.and_then(Value::as_u64).map(|n| n.to_string());
    let code = code
        .and_then(Value::as_str)
        .or(numeric.as_deref())
        .unwrap_or("");
    let lower = |v: &Value| v.as_str().map(|s| s.trim().to_lowercase());
    let mut texts: Vec<String> = description.and_then(lower).into_iter().collect();
    // A REST 3.0 validation error carries its messages in `validation[].message`.
    if let Some(Value::Array(v)) = answer.pointer("/error/validation") {
        texts.extend(v.iter().filter_map(|x| x.get("message").and_then(lower)));
    }
    if is_system_code(code) {
        return true;
    }
    let rows: Vec<_> = method.errors.iter().filter(|e| e.code == code).collect();
    match rows.as_slice() {
        [] => false,
        // A row sent without a code is known by its text alone.
        [_] if !code.is_empty() => true,
        many => many.iter().any(|e| {
            e.description
                .as_deref()
                .is_some_and(|d| texts.contains(&d.trim().to_lowercase()))
        }),
    }
}

/// Whether `code` is one `bitrix_rest::SystemError` knows (common to every method; the empty
/// code is `SystemError::Uncoded`, an error sent without a code that no row of the method matches).
pub fn is_system_code(code: &str) -> bool {
    bitrix_facts::SystemError::from_code(code).is_some()
}

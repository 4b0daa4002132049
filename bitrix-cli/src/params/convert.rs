//! The spec's type at a key path, and the text of a value converted to the JSON that type wants.

use bitrix_codegen::diag::did_you_mean;
use bitrix_codegen::model::{Ty, TypeKind};
use bitrix_codegen::Method;
use serde_json::{Number, Value};

use crate::failure::Failure;

/// The type of `seg` inside a value of type `ty`; `None` when the spec does not say (then the
/// value is sent as text).
pub(super) fn child_ty(method: &Method, ty: &Ty, seg: &str) -> Option<Ty> {
    match ty {
        Ty::Nullable(t) => child_ty(method, t, seg),
        Ty::Map(inner) => Some((**inner).clone()),
        Ty::List(inner) if seg.parse::<usize>().is_ok() => Some((**inner).clone()),
        Ty::Any | Ty::Filter(_) | Ty::Conditions(_) => Some(Ty::Any),
        Ty::Select(_) if seg.parse::<usize>().is_ok() => Some(Ty::String),
        Ty::Named(name) => match &method.type_def(name)?.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().find(|f| f.wire == seg).map(|f| f.ty.clone())
            }
            TypeKind::Enum { .. } => None,
        },
        _ => None,
    }
}

/// A nested key the spec does not describe is sent (portals add `UF_*` fields), but one that
/// looks like a typo of a described field is pointed out.
pub(super) fn warn_unknown_field(method: &Method, ty: &Ty, parent: &str, key: &str) {
    let ty = match ty {
        Ty::Nullable(t) => t,
        t => t,
    };
    let Ty::Named(name) = ty else { return };
    let Some(TypeKind::Struct { fields, .. }) = method.type_def(name).map(|d| &d.kind) else {
        return;
    };
    if let Some(close) = did_you_mean(key, fields.iter().map(|f| f.wire.as_str())) {
        eprintln!(
            "b24: warning: `{parent}.{key}` is not a field the spec describes; did you mean `{parent}.{close}`? (sent as given)"
        );
    }
}

/// Converts the text of a value to the JSON its type wants.
pub(super) fn convert(
    method: Option<&Method>,
    ty: Option<&Ty>,
    raw: &str,
    json: bool,
    path: &str,
) -> Result<Value, Failure> {
    if json {
        return serde_json::from_str(raw)
            .map_err(|e| Failure::usage(format!("`{path}:=` wants JSON: {e}")));
    }
    let Some(ty) = ty else {
        return Ok(Value::String(raw.to_string()));
    };
    let wrong = |what: &str| Failure::usage(format!("`{path}` must be {what}, got `{raw}`"));
    Ok(match ty {
        Ty::Nullable(inner) => {
            if raw == "null" {
                Value::Null
            } else {
                convert(method, Some(inner), raw, false, path)?
            }
        }
        Ty::Integer => match raw.trim().parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => return Err(wrong("an integer")),
        },
        Ty::Double => match raw.trim().parse::<f64>().ok().and_then(Number::from_f64) {
            Some(n) => Value::Number(n),
            None => return Err(wrong("a number")),
        },
        Ty::Boolean | Ty::Flag => {
            let yes = match raw.trim().to_ascii_lowercase().as_str() {
                "true" | "y" | "yes" | "1" => true,
                "false" | "n" | "no" | "0" => false,
                _ => return Err(wrong("true/false or Y/N")),
            };
            match ty {
                Ty::Flag => Value::String(if yes { "Y" } else { "N" }.into()),
                _ => Value::Bool(yes),
            }
        }
        Ty::List(inner) => {
            if raw.trim_start().starts_with('[') {
                return serde_json::from_str(raw)
                    .map_err(|e| Failure::usage(format!("`{path}` is not a JSON list: {e}")));
            }
            let items = if raw.is_empty() {
                Vec::new()
            } else {
                raw.split(',')
                    .map(|item| convert(method, Some(inner), item.trim(), false, path))
                    .collect::<Result<Vec<_>, _>>()?
            };
            Value::Array(items)
        }
        Ty::Map(_) | Ty::Named(_) if !is_enum(method, ty) => match serde_json::from_str(raw) {
            Ok(v @ (Value::Object(_) | Value::Array(_))) => v,
            _ => {
                return Err(Failure::usage(format!(
                    "`{path}` is an object: give its fields as `{path}.FIELD=VALUE`, or JSON with `{path}:={{...}}`"
                )))
            }
        },
        _ => Value::String(raw.to_string()),
    })
}

fn is_enum(method: Option<&Method>, ty: &Ty) -> bool {
    match (method, ty) {
        (Some(m), Ty::Named(n)) => {
            matches!(m.type_def(n).map(|d| &d.kind), Some(TypeKind::Enum { .. }))
        }
        _ => false,
    }
}

/// Objects with keys `0`, `1`, … where the spec wants a list (`FIELDS.LANG[0].TITLE=x`) become
/// lists.
pub(super) fn normalize(method: &Method, ty: &Ty, value: &mut Value) {
    match ty {
        Ty::Nullable(t) => normalize(method, t, value),
        Ty::List(inner) => {
            if let Value::Object(map) = value {
                let mut keyed: Vec<(usize, Value)> = Vec::new();
                for (k, v) in std::mem::take(map) {
                    match k.parse::<usize>() {
                        Ok(i) => keyed.push((i, v)),
                        Err(_) => {
                            map.insert(k, v);
                        }
                    }
                }
                if map.is_empty() {
                    keyed.sort_by_key(|(i, _)| *i);
                    *value = Value::Array(keyed.into_iter().map(|(_, v)| v).collect());
                } else {
                    map.extend(keyed.into_iter().map(|(i, v)| (i.to_string(), v)));
                }
            }
            if let Value::Array(items) = value {
                items.iter_mut().for_each(|v| normalize(method, inner, v));
            }
        }
        Ty::Map(inner) => {
            if let Value::Object(map) = value {
                map.values_mut().for_each(|v| normalize(method, inner, v));
            }
        }
        Ty::Named(name) => {
            if let (Some(TypeKind::Struct { fields, .. }), Value::Object(map)) =
                (method.type_def(name).map(|d| &d.kind), value)
            {
                for f in fields {
                    if let Some(v) = map.get_mut(&f.wire) {
                        normalize(method, &f.ty, v);
                    }
                }
            }
        }
        _ => {}
    }
}

//! Does a JSON value fit a spec type? Used for documented examples and by the emulator.
//!
//! The check is as lenient as Bitrix24 itself: form-encoded calls carry every scalar as a string,
//! so numbers and flags are accepted in their text form, and PHP sends empty objects as `[]`.

use serde_json::Value;

use super::{Method, Required, Ty, TypeKind};

/// Checks `value` against `ty` of `method`; the error names the path (`FIELDS.LANG[0].TITLE`).
pub fn check_value(method: &Method, ty: &Ty, value: &Value, path: &str) -> Result<(), String> {
    check_value_at(method, ty, value, path).map_err(|m| m.to_string())
}

/// A value that does not fit its type, as data: where it is and what was expected, so that a
/// caller (the emulator) can pick the documented error row without reading message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeMismatch {
    /// Path of the value, e.g. `FIELDS.LANG[0].TITLE`.
    pub path: String,
    /// What the type wants, e.g. `an integer`; for a missing struct field, `a value`.
    pub expected: String,
    /// What was found, e.g. `the string "x"`; `nothing` for a missing required struct field.
    pub found: String,
}

impl TypeMismatch {
    /// The top-level parameter of the path (`FIELDS` of `FIELDS.LANG[0]`).
    pub fn param(&self) -> &str {
        self.path.split(['.', '[']).next().unwrap_or("")
    }

    /// The innermost named field of the path (`TITLE` of `FIELDS.LANG[0].TITLE`).
    pub fn leaf(&self) -> &str {
        self.path
            .rsplit('.')
            .next()
            .unwrap_or("")
            .split('[')
            .next()
            .unwrap_or("")
    }
}

impl std::fmt::Display for TypeMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.found == "nothing" {
            write!(f, "`{}` is required", self.path)
        } else if self.expected.starts_with("type `") {
            write!(f, "`{}` has undefined {}", self.path, self.expected)
        } else {
            write!(
                f,
                "`{}` must be {}, found {}",
                self.path, self.expected, self.found
            )
        }
    }
}

/// [`check_value`] with the problem as data.
pub fn check_value_at(
    method: &Method,
    ty: &Ty,
    value: &Value,
    path: &str,
) -> Result<(), TypeMismatch> {
    let mismatch = |want: &str| TypeMismatch {
        path: path.to_string(),
        expected: want.to_string(),
        found: kind_of(value),
    };
    let wrong = |want: &str| Err(mismatch(want));
    match ty {
        Ty::Nullable(inner) => match value {
            Value::Null => Ok(()),
            v => check_value_at(method, inner, v, path),
        },
        Ty::Any => Ok(()),
        Ty::Select(_) => match value {
            Value::Array(items) if items.iter().all(Value::is_string) => Ok(()),
            _ => wrong("a list of field names"),
        },
        Ty::Conditions(_) => match value {
            Value::Object(_) => Ok(()),
            Value::Array(items) if items.is_empty() => Ok(()),
            _ => wrong("an object of conditions ({\">=FIELD\": value, …})"),
        },
        Ty::Filter(_) => match value {
            Value::Array(items) if items.iter().all(|c| c.is_array() || c.is_object()) => Ok(()),
            _ => wrong("a list of conditions ([field, operator, value] or {\"logic\": \"or\", …})"),
        },
        Ty::Integer => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(()),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => Ok(()),
            _ => wrong("an integer"),
        },
        Ty::Double => match value {
            Value::Number(_) => Ok(()),
            Value::String(s) if s.trim().parse::<f64>().is_ok() => Ok(()),
            _ => wrong("a number"),
        },
        Ty::String | Ty::Url | Ty::Date | Ty::DateTime => match value {
            Value::String(_) => Ok(()),
            _ => wrong("a string"),
        },
        Ty::Boolean | Ty::Flag => match value {
            Value::Bool(_) => Ok(()),
            Value::String(s) if matches!(s.as_str(), "Y" | "N" | "true" | "false" | "1" | "0") => {
                Ok(())
            }
            Value::Number(n) if n.as_i64().is_some_and(|n| n == 0 || n == 1) => Ok(()),
            _ if *ty == Ty::Flag => wrong("\"Y\" or \"N\""),
            _ => wrong("true or false"),
        },
        Ty::File => match value {
            Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_string) => Ok(()),
            Value::String(_) | Value::Object(_) => Ok(()),
            _ => wrong("a file ([\"name\", \"base64 content\"])"),
        },
        Ty::List(inner) => match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| check_value_at(method, inner, v, &format!("{path}[{i}]"))),
            Value::Object(map) if map.keys().all(|k| k.parse::<usize>().is_ok()) => map
                .iter()
                .try_for_each(|(k, v)| check_value_at(method, inner, v, &format!("{path}[{k}]"))),
            _ => wrong("an array"),
        },
        Ty::LangText => match value {
            Value::String(_) => Ok(()),
            Value::Object(map) if map.values().all(|v| v.is_string() || v.is_null()) => Ok(()),
            Value::Array(a) if a.is_empty() => Ok(()),
            _ => wrong("a string or an object of strings by language code"),
        },
        Ty::OneOrMany(inner) => match value {
            Value::Array(_) | Value::Object(_) => {
                check_value_at(method, &Ty::List(inner.clone()), value, path)
            }
            one => check_value_at(method, inner, one, path),
        },
        Ty::Map(inner) => match value {
            Value::Object(map) => map
                .iter()
                .try_for_each(|(k, v)| check_value_at(method, inner, v, &format!("{path}.{k}"))),
            Value::Array(a) if a.is_empty() => Ok(()),
            _ => wrong("an object"),
        },
        Ty::Named(name) => {
            let Some(def) = method.type_def(name) else {
                return wrong(&format!("type `{name}`"));
            };
            match &def.kind {
                TypeKind::Enum { values } => match value {
                    Value::String(s) if values.iter().any(|v| &v.value == s) => Ok(()),
                    Value::String(_) => wrong(&format!(
                        "one of {}",
                        values
                            .iter()
                            .map(|v| format!("\"{}\"", v.value))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    _ => wrong("a string"),
                },
                TypeKind::Struct { fields, .. } => {
                    let empty = serde_json::Map::new();
                    let map = match value {
                        Value::Object(map) => map,
                        Value::Array(a) if a.is_empty() => &empty,
                        _ => return wrong("an object"),
                    };
                    for f in fields {
                        match map.get(&f.wire) {
                            None | Some(Value::Null) if f.required == Required::Yes => {
                                return Err(TypeMismatch {
                                    path: format!("{path}.{}", f.wire),
                                    expected: "a value".into(),
                                    found: "nothing".into(),
                                });
                            }
                            None => {}
                            Some(v) => {
                                check_value_at(method, &f.ty, v, &format!("{path}.{}", f.wire))?
                            }
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}

fn kind_of(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string \"{s}\""),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

//! `KEY=VALUE` arguments to a JSON request body, converted to the types of the method's spec and
//! checked against it before anything is sent.
//!
//! Keys are paths: `FIELDS.TITLE`, `FIELDS[TITLE]` and `filter[>=id]` (dots inside brackets are
//! literal). Values follow the spec's type at that path: integers and numbers are parsed, flags
//! take `true`/`false`/`Y`/`N`, lists take `a,b` or the key repeated. `KEY:=JSON` sends a JSON value
//! as it is.

use bitrix_codegen::diag::did_you_mean;
use bitrix_codegen::model::{Required, Ty, TypeKind};
use bitrix_codegen::Method;
use serde_json::{Map, Number, Value};

use crate::failure::Failure;

/// One `KEY=VALUE` (or `KEY:=JSON`) argument, split.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The key path, `FIELDS.TITLE` as `["FIELDS", "TITLE"]`; an empty segment (`tags[]`) appends.
    pub path: Vec<String>,
    /// The value as typed.
    pub value: String,
    /// `KEY:=JSON`: the value is JSON, not text.
    pub json: bool,
}

/// Splits `KEY=VALUE` at the first `=` outside brackets, so that `filter[>=id]=5` keeps its key.
pub fn parse_assignment(arg: &str) -> Result<Assignment, Failure> {
    let mut depth = 0usize;
    let mut split = None;
    for (i, c) in arg.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '=' if depth == 0 => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(at) = split else {
        return Err(Failure::usage(format!(
            "`{arg}` is not KEY=VALUE (write FIELDS.TITLE=x or FIELDS[TITLE]=x)"
        )));
    };
    let (mut key, value) = (&arg[..at], &arg[at + 1..]);
    let json = key.ends_with(':');
    if json {
        key = &key[..key.len() - 1];
    }
    Ok(Assignment {
        path: parse_path(key)?,
        value: value.to_string(),
        json,
    })
}

/// `FIELDS.TITLE`, `FIELDS[TITLE]`, `a[b].c`, `filter[>=id]` to their segments.
pub fn parse_path(key: &str) -> Result<Vec<String>, Failure> {
    let bad = |why: &str| Failure::usage(format!("bad key `{key}`: {why}"));
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = key.chars();
    let mut after_bracket = false;
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if current.is_empty() && !after_bracket {
                    return Err(bad("an empty name before `.`"));
                }
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                after_bracket = false;
            }
            '[' => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                } else if out.is_empty() {
                    return Err(bad("it starts with `[`"));
                }
                let mut inner = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    inner.push(c);
                }
                if !closed {
                    return Err(bad("`[` is not closed"));
                }
                out.push(inner);
                after_bracket = true;
            }
            ']' => return Err(bad("`]` without `[`")),
            c => {
                if after_bracket {
                    return Err(bad("write `.` or `[` after `]`"));
                }
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        out.push(current);
    } else if !after_bracket {
        return Err(bad("an empty name"));
    }
    Ok(out)
}

/// Builds the request body of `method` (or of a method without a spec, when `None`) from
/// `--json BODY` and `KEY=VALUE` arguments, applied in that order. Nested keys the spec does not
/// describe are kept (portals add `UF_*` fields) but warned about when they look like a typo.
pub fn build_body(
    method: Option<&Method>,
    json: Option<&str>,
    args: &[String],
) -> Result<Value, Failure> {
    let text = json.map(json_text).transpose()?;
    let mut body = match text.as_deref() {
        None => Map::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Err(Failure::usage("--json must be a JSON object")),
            Err(e) => return Err(Failure::usage(format!("--json is not valid JSON: {e}"))),
        },
    };
    for arg in args {
        let a = parse_assignment(arg)?;
        set(method, &mut body, &a)?;
    }
    if let Some(m) = method {
        if let Some(key) = body.keys().find(|k| m.param(k).is_none()) {
            return Err(unknown_param(m, key));
        }
    }
    let mut body = Value::Object(body);
    if let Some(m) = method {
        for p in &m.params {
            if let Some(v) = body.get_mut(&p.wire) {
                normalize(m, &p.ty, v);
            }
        }
    }
    Ok(body)
}

/// The text of `--json`: given inline, `@FILE` read from a file, `-` read from standard input.
fn json_text(arg: &str) -> Result<String, Failure> {
    if arg == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| Failure::usage(format!("--json -: cannot read standard input: {e}")))?;
        Ok(text)
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path).map_err(|e| Failure::usage(format!("--json @{path}: {e}")))
    } else {
        Ok(arg.to_string())
    }
}

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

/// Sets one assignment in the body, creating objects along its path.
fn set(
    method: Option<&Method>,
    body: &mut Map<String, Value>,
    a: &Assignment,
) -> Result<(), Failure> {
    // `tags[]=x` appends to the list `tags`.
    let append = a.path.len() > 1 && a.path.last().is_some_and(String::is_empty);
    let path = if append {
        &a.path[..a.path.len() - 1]
    } else {
        &a.path[..]
    };
    let shown = path.join(".");
    let mut ty: Option<Ty> = match method {
        Some(m) => match m.param(&path[0]) {
            Some(p) => Some(p.ty.clone()),
            None => return Err(unknown_param(m, &path[0])),
        },
        None => None,
    };
    let mut node = body;
    let Some((last, parents)) = path.split_last() else {
        return Err(Failure::usage("an empty key"));
    };
    for (i, seg) in parents.iter().enumerate() {
        if seg.is_empty() {
            return Err(Failure::usage(format!(
                "`{shown}`: `[]` (append) can only end a key"
            )));
        }
        let slot = node
            .entry(seg.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Array(items) = slot {
            if items.is_empty() {
                *slot = Value::Object(Map::new());
            }
        }
        let Value::Object(next) = slot else {
            return Err(Failure::usage(format!(
                "`{}` is given both as a value and as an object",
                path[..=i].join(".")
            )));
        };
        node = next;
        let child = &path[i + 1];
        ty = match (method, ty) {
            (Some(m), Some(t)) => {
                let c = child_ty(m, &t, child);
                if c.is_none() && !child.is_empty() {
                    warn_unknown_field(m, &t, &path[..=i].join("."), child);
                }
                c
            }
            _ => None,
        };
    }
    if last.is_empty() {
        return Err(Failure::usage(format!("`{shown}`: an empty name")));
    }
    let value = convert(method, ty.as_ref(), &a.value, a.json, &shown)?;
    let value = match value {
        Value::Array(_) => value,
        one if append => Value::Array(vec![one]),
        one => one,
    };
    match node.get_mut(last) {
        None => {
            node.insert(last.clone(), value);
        }
        Some(Value::Array(items)) if append || is_list(ty.as_ref()) || ty.is_none() => {
            match value {
                Value::Array(more) => items.extend(more),
                one => items.push(one),
            }
        }
        Some(existing) if ty.is_none() => {
            // No spec: a repeated key becomes a list, as it would in a query string.
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        Some(_) => {
            return Err(Failure::usage(format!("`{shown}` is given twice")));
        }
    }
    Ok(())
}

fn is_list(ty: Option<&Ty>) -> bool {
    match ty {
        Some(Ty::Nullable(t)) => is_list(Some(t)),
        Some(Ty::List(_)) => true,
        _ => false,
    }
}

/// The type of `seg` inside a value of type `ty`; `None` when the spec does not say (then the
/// value is sent as text).
fn child_ty(method: &Method, ty: &Ty, seg: &str) -> Option<Ty> {
    match ty {
        Ty::Nullable(t) => child_ty(method, t, seg),
        Ty::Map(inner) => Some((**inner).clone()),
        Ty::List(inner) if seg.parse::<usize>().is_ok() => Some((**inner).clone()),
        Ty::Any => Some(Ty::Any),
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
fn warn_unknown_field(method: &Method, ty: &Ty, parent: &str, key: &str) {
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
fn convert(
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
fn normalize(method: &Method, ty: &Ty, value: &mut Value) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn method(name: &str) -> &'static Method {
        crate::specs::catalog().get(name).expect("spec")
    }

    #[test]
    fn keys_split_outside_brackets() {
        let a = parse_assignment("filter[>=id]=5").unwrap();
        assert_eq!(a.path, vec!["filter", ">=id"]);
        assert_eq!(a.value, "5");
        let a = parse_assignment("FIELDS.TITLE=a=b").unwrap();
        assert_eq!(a.path, vec!["FIELDS", "TITLE"]);
        assert_eq!(a.value, "a=b");
        assert!(parse_assignment("novalue").is_err());
        assert!(parse_path("a[b").is_err());
        assert_eq!(parse_path("a[b].c").unwrap(), vec!["a", "b", "c"]);
    }

    #[test]
    fn values_follow_the_spec_types() {
        let m = method("crm.item.list");
        let body = build_body(
            Some(m),
            None,
            &[
                "entityTypeId=2".into(),
                "select=id,title".into(),
                "select=stageId".into(),
                "filter[>opportunity]=5".into(),
                "order.id=ASC".into(),
                "useOriginalUfNames=false".into(),
            ],
        )
        .unwrap();
        assert_eq!(
            body,
            json!({"entityTypeId": 2, "select": ["id", "title", "stageId"],
                   "filter": {">opportunity": "5"}, "order": {"id": "ASC"}, "useOriginalUfNames": "N"})
        );
        let bad = build_body(Some(m), None, &["entityTypeId=two".into()]).unwrap_err();
        assert_eq!(bad.code, 2);
        assert!(bad.message.contains("must be an integer"));
    }

    #[test]
    fn unknown_and_missing_keys_are_refused() {
        let m = method("crm.item.list");
        let e = build_body(Some(m), None, &["entityTypId=2".into()]).unwrap_err();
        assert!(e.message.contains("did you mean `entityTypeId`"), "{e}");
        let body = build_body(Some(m), None, &[]).unwrap();
        let e = check_body(m, &body, true).unwrap_err();
        assert!(e.message.contains("`entityTypeId`"), "{e}");
    }

    #[test]
    fn json_body_and_raw_values() {
        let body = build_body(
            None,
            Some(r#"{"a": 1}"#),
            &["b:=[1,2]".into(), "c=x".into(), "c=y".into()],
        )
        .unwrap();
        assert_eq!(body, json!({"a": 1, "b": [1, 2], "c": ["x", "y"]}));
    }
}

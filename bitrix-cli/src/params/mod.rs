//! `KEY=VALUE` arguments to a JSON request body, converted to the types of the method's spec and
//! checked against it before anything is sent.
//!
//! Keys are paths: `FIELDS.TITLE`, `FIELDS[TITLE]` and `filter[>=id]` (dots inside brackets are
//! literal). Values follow the spec's type at that path: integers and numbers are parsed, flags
//! take `true`/`false`/`Y`/`N`, lists take `a,b` or the key repeated. `KEY:=JSON` sends a JSON value
//! as it is.

mod check;
mod convert;
mod path;

pub use check::{check_batch_params, check_body, unknown_param};
pub use path::{parse_assignment, Assignment};

use bitrix_codegen::model::Ty;
use bitrix_codegen::Method;
use serde_json::{Map, Value};

use crate::failure::Failure;
use convert::{child_ty, convert, normalize, warn_unknown_field};

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
        Some(Ty::List(_) | Ty::Select(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn method(name: &str) -> &'static Method {
        crate::specs::method(name).expect("spec")
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
        assert!(path::parse_path("a[b").is_err());
        assert_eq!(path::parse_path("a[b].c").unwrap(), vec!["a", "b", "c"]);
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

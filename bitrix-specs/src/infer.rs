//! Types read from the documented success answers where the page's tables give none: a `result`
//! with no table row, and result fields that the page calls `object` or `array` (or leaves
//! untyped) without naming their parts.
//!
//! The answer is a fact of the page; a type is taken from it only as far as it goes: every
//! documented answer must agree on a kind (text, whole number, number, boolean, object, list),
//! `null` and empty values tell nothing, and a struct keeps unknown keys in `extra`, so keys an
//! answer leaves out or adds do not break decoding. Numbers whose name reads as an amount are
//! `double` even when the example shows a whole one. Unions and types the page contradicts stay
//! `any`.

use serde_json::Value;

use crate::examples::json;
use bitrix_codegen::write::spec::{Field, Required, Spec, TypeDef};

/// Types `result` (when `any` and not a documented union) and the loose result fields from the
/// success examples.
pub fn from_examples(spec: &mut Spec) {
    let answers: Vec<Value> = spec
        .examples
        .iter()
        .filter(|e| e.status < 300)
        .filter_map(|e| e.response.as_deref().and_then(json))
        .filter_map(|v| v.get("result").cloned())
        .collect();
    if answers.is_empty() {
        return;
    }
    let loose = |spec: &Spec, path: &str| -> bool {
        let said: Vec<&String> = spec
            .todo
            .iter()
            .filter(|t| t.starts_with(&format!("`{path}`:")))
            .collect();
        said.iter().all(|t| is_open(t))
    };
    // An answer that only ever shows `null` carries nothing: an optional boolean reads it as
    // unset, and also takes the `true` such methods answer elsewhere.
    if spec.result.ty == "any" && loose(spec, "result") && answers.iter().all(Value::is_null) {
        spec.result.ty = "boolean?".to_string();
        settle_todo(spec, "result");
    } else if spec.result.ty == "any" && loose(spec, "result") {
        let refs: Vec<&Value> = answers.iter().collect();
        let before = spec.types.len();
        if let Some(ty) = infer(spec, &refs, "result", "result") {
            if pages(spec) && !list_shaped(spec, &ty) {
                // A list method's answer must stay a list (or a struct around one) for paging.
                spec.types.truncate(before);
            } else {
                spec.result.ty = ty;
                settle_todo(spec, "result");
            }
        }
    }
    // Fields of the result's structs that the page left open.
    fill_open(spec, &answers, "result");
    // Parameters (and their fields) that the page left open, from the documented requests.
    let requests: Vec<Value> = spec
        .examples
        .iter()
        .filter_map(|e| e.request.as_deref().and_then(json))
        .collect();
    if !requests.is_empty() {
        fill_open(spec, &requests, "");
    }
}

/// Where a loose type sits.
enum Slot {
    Param(usize),
    Field(usize, usize),
}

impl Slot {
    fn ty<'a>(&self, spec: &'a mut Spec) -> &'a mut String {
        match *self {
            Slot::Param(i) => &mut spec.params[i].ty,
            Slot::Field(t, f) => &mut spec.types[t].fields[f].ty,
        }
    }
}

/// Types the open points below `root` (`result`, or `""` for the parameters) from `samples`
/// (the documented answers' `result`, or the documented request bodies).
fn fill_open(spec: &mut Spec, samples: &[Value], root: &str) {
    let open: Vec<String> = spec
        .todo
        .iter()
        .filter(|t| is_open(t))
        .filter_map(|t| t.strip_prefix('`')?.split('`').next().map(str::to_string))
        .filter(|p| {
            if root.is_empty() {
                !p.starts_with("result") && !p.contains(' ')
            } else {
                p.starts_with(&format!("{root}."))
            }
        })
        .collect();
    for path in open {
        let Some(slot) = slot_at(spec, &path, root) else {
            continue;
        };
        let segments: Vec<&str> = if root.is_empty() {
            path.split('.').collect()
        } else {
            path.split('.').skip(1).collect()
        };
        let mut values: Vec<&Value> = samples.iter().collect();
        for s in &segments {
            values = values
                .into_iter()
                .flat_map(|v| match v {
                    Value::Array(items) => items.iter().filter_map(|i| i.get(s)).collect(),
                    other => other.get(s).into_iter().collect::<Vec<_>>(),
                })
                .collect();
        }
        let was = slot.ty(spec).clone();
        let list = was.trim_end_matches('?') == "[any]";
        if was.trim_end_matches('?') != "any" && !list {
            continue;
        }
        if list {
            values = values
                .into_iter()
                .flat_map(|v| v.as_array().into_iter().flatten())
                .collect();
        }
        let last = segments.last().copied().unwrap_or(root);
        let Some(ty) = infer(spec, &values, last, &path) else {
            continue;
        };
        *slot.ty(spec) = if list { format!("[{ty}]") } else { ty };
        settle_todo(spec, &path);
    }
}

/// A method that pages: a `start` parameter, or an answer with `next` or `total`.
fn pages(spec: &Spec) -> bool {
    spec.params.iter().any(|p| p.name == "start")
        || spec.examples.iter().any(|e| {
            e.status < 300
                && e.response
                    .as_deref()
                    .and_then(json)
                    .is_some_and(|v| v.get("next").is_some() || v.get("total").is_some())
        })
}

/// `[T]`, or a struct of one field that is `[T]`.
fn list_shaped(spec: &Spec, ty: &str) -> bool {
    if ty.starts_with('[') {
        return true;
    }
    spec.types
        .iter()
        .find(|t| t.name == ty)
        .is_some_and(|t| t.fields.len() == 1 && t.fields[0].ty.starts_with('['))
}

/// A todo point that says only that the page gives no parts or no type (not a union, not a
/// contradiction).
fn is_open(point: &str) -> bool {
    point.contains("whose fields are on no page") || point.contains(": no type given")
}

fn settle_todo(spec: &mut Spec, path: &str) {
    let head = format!("`{path}`:");
    spec.todo.retain(|t| !(t.starts_with(&head) && is_open(t)));
}

/// The parameter or struct field at a dotted path below `root` (`result`, or `""` for the
/// parameters).
fn slot_at(spec: &Spec, path: &str, root: &str) -> Option<Slot> {
    let bare = |t: &str| t.trim_matches(|c| "[]{}?".contains(c)).to_string();
    let mut segments: Vec<&str> = path.split('.').collect();
    let mut ty = if root.is_empty() {
        let first = segments.remove(0);
        let i = spec.params.iter().position(|p| p.name == first)?;
        if segments.is_empty() {
            return Some(Slot::Param(i));
        }
        bare(&spec.params[i].ty)
    } else {
        segments.remove(0);
        bare(&spec.result.ty)
    };
    for (i, s) in segments.iter().enumerate() {
        let ti = spec.types.iter().position(|t| t.name == ty)?;
        let fi = spec.types[ti].fields.iter().position(|f| f.name == *s)?;
        if i == segments.len() - 1 {
            return Some(Slot::Field(ti, fi));
        }
        ty = bare(&spec.types[ti].fields[fi].ty);
    }
    None
}

/// The type every value fits, declaring structs as it goes; `None` when the values disagree or
/// tell nothing.
fn infer(spec: &mut Spec, values: &[&Value], name: &str, path: &str) -> Option<String> {
    let values: Vec<&Value> = values.iter().copied().filter(|v| !empty(v)).collect();
    if values.is_empty() {
        return None;
    }
    if values.iter().all(|v| v.is_boolean()) {
        return Some("boolean".into());
    }
    if values.iter().all(|v| v.is_number()) {
        let whole = values.iter().all(|v| v.is_i64() || v.is_u64());
        return Some(
            if whole && !amount(name) {
                "integer"
            } else {
                "double"
            }
            .into(),
        );
    }
    // Text fields take numbers, so text and numbers together are text.
    if values.iter().all(|v| v.is_string() || v.is_number()) {
        return Some("string".into());
    }
    if values.iter().all(|v| v.is_array()) {
        let items: Vec<&Value> = values
            .iter()
            .flat_map(|v| v.as_array().into_iter().flatten())
            .collect();
        return infer(spec, &items, name, path).map(|t| format!("[{t}]"));
    }
    if values.iter().all(|v| v.is_object()) {
        let maps: Vec<&serde_json::Map<String, Value>> =
            values.iter().filter_map(|v| v.as_object()).collect();
        let mut keys: Vec<&String> = Vec::new();
        for m in &maps {
            for k in m.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        // Objects keyed by IDs (`{"12": {...}}`) are maps.
        if keys
            .iter()
            .all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
        {
            let items: Vec<&Value> = maps.iter().flat_map(|m| m.values()).collect();
            return infer(spec, &items, name, path).map(|t| format!("{{{t}}}"));
        }
        // Objects whose values are records of one shape (a field description map keyed by
        // field name) are maps of that record.
        if keys.len() >= 3 && same_shape(&maps) {
            let items: Vec<&Value> = maps.iter().flat_map(|m| m.values()).collect();
            return infer(spec, &items, name, path).map(|t| format!("{{{t}}}"));
        }
        if !keys.iter().all(|k| plain(k)) || clash(&keys) {
            return None;
        }
        let mut fields = Vec::new();
        for k in keys {
            let parts: Vec<&Value> = maps.iter().filter_map(|m| m.get(k.as_str())).collect();
            // A key whose every value is empty tells no type: it stays undeclared (kept in
            // `extra` like any key an answer adds).
            let Some(ty) = infer(spec, &parts, k, &format!("{path}.{k}")) else {
                if parts.iter().all(|v| empty(v)) {
                    continue;
                }
                fields.push(Field {
                    name: k.clone(),
                    ty: "any".into(),
                    required: Required::No,
                });
                continue;
            };
            fields.push(Field {
                name: k.clone(),
                ty,
                required: Required::No,
            });
        }
        if fields.is_empty() {
            return None;
        }
        let type_name = fresh_name(spec, path);
        spec.types.push(TypeDef {
            name: type_name.clone(),
            fields,
            values: Vec::new(),
        });
        return Some(type_name);
    }
    None
}

/// Every value of every map is an object, and the keys they share are at least half of all
/// their keys.
fn same_shape(maps: &[&serde_json::Map<String, Value>]) -> bool {
    let records: Vec<&serde_json::Map<String, Value>> = maps
        .iter()
        .flat_map(|m| m.values())
        .filter_map(|v| v.as_object())
        .collect();
    let total: usize = maps.iter().map(|m| m.len()).sum();
    if records.len() != total || records.iter().any(|r| r.is_empty()) {
        return false;
    }
    let mut all: Vec<&String> = Vec::new();
    for r in &records {
        for k in r.keys() {
            if !all.contains(&k) {
                all.push(k);
            }
        }
    }
    let shared = all
        .iter()
        .filter(|k| records.iter().all(|r| r.contains_key(k.as_str())))
        .count();
    shared * 2 >= all.len()
}

/// `null`, `""`, `[]`, `{}`: what portals send for "nothing", whatever the type.
fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.is_empty(),
        _ => false,
    }
}

/// A name that reads as an amount, which may be fractional even where an example is whole.
fn amount(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "price",
        "sum",
        "amount",
        "opportunity",
        "rate",
        "quantity",
        "discount",
        "tax",
        "vat",
        "weight",
        "width",
        "height",
        "length",
        "cost",
        "coefficient",
        "ratio",
        "percent",
        "balance",
        "measure",
        "volume",
        "duration",
        "latitude",
        "longitude",
        "lat",
        "lng",
    ];
    let lower = name.to_ascii_lowercase();
    WORDS.iter().any(|w| lower.contains(w))
}

/// A key the format can declare as a field.
fn plain(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && key != "extra"
}

/// Two keys that would become the same Rust field (`ID` and `id`, `userId` and `USER_ID`).
fn clash(keys: &[&String]) -> bool {
    let mut seen: Vec<String> = Vec::new();
    for k in keys {
        let folded: String = k
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        if seen.contains(&folded) {
            return true;
        }
        seen.push(folded);
    }
    false
}

/// A type name for the struct at `path` that the spec does not use yet.
fn fresh_name(spec: &Spec, path: &str) -> String {
    let taken = |n: &str| {
        spec.types
            .iter()
            .any(|t| t.name == n || format!("{}Ref", t.name) == n || t.name == format!("{n}Ref"))
    };
    let last = path.rsplit('.').next().unwrap_or(path);
    let mut name = crate::types::type_name(last);
    if taken(&name) {
        name = crate::types::type_name(path);
    }
    let base = name.clone();
    let mut i = 2;
    while taken(&name) {
        name = format!("{base}{i}");
        i += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitrix_codegen::write::spec::Example;

    fn spec_with(answer: &str) -> Spec {
        Spec {
            examples: vec![Example {
                name: "example".into(),
                request: None,
                status: 200,
                response: Some(answer.into()),
            }],
            ..Spec::default()
        }
    }

    #[test]
    fn result_struct_from_the_answer() {
        let mut spec = spec_with(
            r#"{"result": {"ID": 5, "PRICE": 100, "NAME": "x", "ACTIVE": true, "TAGS": ["a"], "OWNER": null, "ROWS": {"3": {"Q": 1}}}}"#,
        );
        from_examples(&mut spec);
        assert_eq!(spec.result.ty, "ResultType");
        let t = &spec
            .types
            .iter()
            .find(|t| t.name == "ResultType")
            .unwrap()
            .fields;
        let ty = |n: &str| t.iter().find(|f| f.name == n).unwrap().ty.clone();
        assert_eq!(ty("ID"), "integer");
        assert_eq!(ty("PRICE"), "double");
        assert_eq!(ty("NAME"), "string");
        assert_eq!(ty("ACTIVE"), "boolean");
        assert_eq!(ty("TAGS"), "[string]");
        assert!(!t.iter().any(|f| f.name == "OWNER"));
        assert!(ty("ROWS").starts_with('{'));
    }

    #[test]
    fn disagreeing_answers_and_unions_stay_any() {
        let mut spec = spec_with(r#"{"result": {"a": 1}}"#);
        spec.examples.push(Example {
            name: "other".into(),
            request: None,
            status: 200,
            response: Some(r#"{"result": [1, 2]}"#.into()),
        });
        from_examples(&mut spec);
        assert_eq!(spec.result.ty, "any");
        let mut spec = spec_with(r#"{"result": true}"#);
        spec.todo("`result`: documented as a union (object | boolean); typed as any");
        from_examples(&mut spec);
        assert_eq!(spec.result.ty, "any");
    }
}

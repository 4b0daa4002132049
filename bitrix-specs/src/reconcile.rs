//! The page's tables against its own success example: the example shows the answer's shape where
//! the tables leave it out. Three shapes are read from it:
//!
//! - a **wrapper level**: the tables describe the record, the answer holds it under one key
//!   (`{"result": {"numerator": {...}}}`, `{"result": {"items": [...]}}`); the result becomes a
//!   struct around it (paged lists then read the list under `items`);
//! - a **list**: the tables describe one element, the answer is an array of them;
//! - a **map keyed by data**: an object whose keys are values (field codes, IDs), each holding
//!   the described struct, becomes `{T}` instead of the struct (whose fields would never match);
//! - **untyped values**: a field (or the whole result) the tables leave without a type or
//!   without fields takes the plain shape its example value has (a scalar, a list of one scalar
//!   kind, an object of text); keys whose example value has no plain shape stay in `extra`.

use serde_json::{Map, Value};

use crate::examples::json;
use bitrix_codegen::write::spec::{Field, Required, Spec, TypeDef};

/// Applies what the first success example shows to the result type.
pub fn reconcile(spec: &mut Spec) {
    let Some(result) = success_result(spec) else {
        return;
    };
    if field_descriptions(spec, &result) {
        prune(spec);
        return;
    }
    from_example(spec, &result);
    listify(spec, &result);
    keyed_result(spec, &result);
    wrap(spec, &result);
    let ty = spec.result.ty.clone();
    maps(spec, &ty, &result, 0);
}

/// A `*.fields` method answers a map from field name to the field's description, whatever
/// the page's table lists (often the record's fields). The description's scalar keys, as the
/// example shows them, become `FieldDescription`; its other keys stay in the extra map.
fn field_descriptions(spec: &mut Spec, result: &Value) -> bool {
    let last = spec
        .method
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if !["fields", "getfields"].contains(&last.as_str()) {
        return false;
    }
    let is_map = |m: &Map<String, Value>| {
        !m.is_empty()
            && m.values().all(Value::is_object)
            && m.values()
                .filter_map(Value::as_object)
                .all(|o| o.contains_key("type"))
    };
    let Value::Object(top) = result else {
        return false;
    };
    let (wrapper, map) = if is_map(top) {
        (None, top)
    } else {
        match top.iter().next() {
            Some((k, Value::Object(inner)))
                if top.len() == 1 && crate::row::is_wire_name(k) && is_map(inner) =>
            {
                (Some(k.clone()), inner)
            }
            _ => return false,
        }
    };
    let mut fields: Vec<Field> = Vec::new();
    for desc in map.values().filter_map(Value::as_object) {
        for (k, v) in desc {
            let ty = match v {
                Value::Bool(_) => "boolean?",
                Value::String(_) => "string?",
                Value::Number(n) if n.is_i64() || n.is_u64() => "integer?",
                Value::Number(_) => "double?",
                _ => continue,
            };
            if !crate::row::is_wire_name(k) {
                continue;
            }
            match fields.iter_mut().find(|f| &f.name == k) {
                // Two kinds of value under one key: not typed, it stays in the extra map.
                Some(f) if f.ty != ty && !f.ty.is_empty() => f.ty = String::new(),
                Some(_) => {}
                None => fields.push(Field {
                    name: k.clone(),
                    ty: ty.to_string(),
                    required: Required::No,
                }),
            }
        }
    }
    fields.retain(|f| !f.ty.is_empty());
    if fields.is_empty() {
        return false;
    }
    let description = unique_name(spec, "FieldDescription");
    spec.types.push(TypeDef {
        name: description.clone(),
        fields,
        values: Vec::new(),
    });
    let map_ty = format!("{{{description}}}");
    spec.result.ty = match wrapper {
        None => map_ty,
        Some(k) => {
            let name = unique_name(spec, &crate::types::type_name("result"));
            spec.types.push(TypeDef {
                name: name.clone(),
                fields: vec![Field {
                    name: k,
                    ty: format!("{map_ty}?"),
                    required: Required::No,
                }],
                values: Vec::new(),
            });
            name
        }
    };
    // What the page's tables said about the answer no longer applies.
    spec.todo.retain(|p| !p.starts_with("`result"));
    true
}

/// `base`, or `base2`, `base3`, … when a type has that name.
fn unique_name(spec: &Spec, base: &str) -> String {
    let mut name = base.to_string();
    let mut n = 2;
    while spec.types.iter().any(|t| t.name == name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// Removes the types neither the parameters nor the result use (directly or through others).
pub fn prune(spec: &mut Spec) {
    let names = |ty: &str| -> Vec<String> {
        ty.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
            .map(str::to_string)
            .collect()
    };
    let mut used: Vec<String> = names(&spec.result.ty);
    for p in &spec.params {
        used.extend(names(&p.ty));
    }
    let mut i = 0;
    while i < used.len() {
        if let Some(t) = spec.types.iter().find(|t| t.name == used[i]) {
            for f in &t.fields {
                for n in names(&f.ty) {
                    if !used.contains(&n) {
                        used.push(n);
                    }
                }
            }
        }
        i += 1;
    }
    spec.types.retain(|t| used.contains(&t.name));
}

/// The `result` of the first success example.
fn success_result(spec: &Spec) -> Option<Value> {
    let e = spec.examples.iter().find(|e| e.status < 300)?;
    json(e.response.as_deref()?)?.get("result").cloned()
}

fn bare(ty: &str) -> &str {
    ty.trim_end_matches('?')
}

fn fields_of<'a>(spec: &'a Spec, name: &str) -> Option<&'a [Field]> {
    spec.types
        .iter()
        .find(|t| t.name == name && t.values.is_empty() && !t.fields.is_empty())
        .map(|t| t.fields.as_slice())
}

/// Whether an object value shares at least one key with the struct's fields.
fn overlaps(fields: &[Field], v: &Map<String, Value>) -> bool {
    fields.iter().any(|f| v.contains_key(&f.name))
}

/// `S` documented, an array of `S` answered: `[S]`.
fn listify(spec: &mut Spec, result: &Value) {
    let ty = bare(&spec.result.ty).to_string();
    let Some(fields) = fields_of(spec, &ty) else {
        return;
    };
    let Value::Array(items) = result else { return };
    let first = items.iter().find_map(Value::as_object);
    if first.is_some_and(|o| overlaps(fields, o)) && items.iter().all(Value::is_object) {
        spec.result.ty = format!("[{ty}]");
    }
}

/// `S` documented, `{"12": S, "15": S}` answered: `{S}`.
fn keyed_result(spec: &mut Spec, result: &Value) {
    let ty = bare(&spec.result.ty).to_string();
    let Some(fields) = fields_of(spec, &ty) else {
        return;
    };
    let Value::Object(m) = result else { return };
    let data_keys = m.len() > 1 || m.keys().any(|k| !crate::row::is_wire_name(k));
    if data_keys && keyed_by_data(fields, m) {
        spec.result.ty = format!("{{{ty}}}");
    }
}

/// `S` or `[S]` documented, `{"key": S}` or `{"key": [S]}` answered: a struct holding `key`.
fn wrap(spec: &mut Spec, result: &Value) {
    let Value::Object(m) = result else { return };
    if m.len() != 1 {
        return;
    }
    let Some((key, inner)) = m.iter().next() else {
        return;
    };
    if !crate::row::is_wire_name(key) {
        return;
    }
    let ty = bare(&spec.result.ty).to_string();
    let list = ty.starts_with('[');
    let element = ty.trim_start_matches('[').trim_end_matches(']');
    let element = bare(element).to_string();
    let Some(fields) = fields_of(spec, &element) else {
        return;
    };
    // The struct itself has that key: no wrapper.
    if fields.iter().any(|f| &f.name == key) {
        return;
    }
    let field_ty = match inner {
        Value::Array(a) => {
            let fits = a.iter().all(Value::is_object)
                && a.iter()
                    .filter_map(Value::as_object)
                    .next()
                    .is_none_or(|o| overlaps(fields, o));
            if !fits {
                return;
            }
            format!("[{element}]")
        }
        Value::Object(o) if !list && overlaps(fields, o) => element.clone(),
        _ => return,
    };
    let base = crate::types::type_name("result");
    let mut name = base.clone();
    let mut n = 2;
    while spec.types.iter().any(|t| t.name == name) {
        name = format!("{base}{n}");
        n += 1;
    }
    spec.types.push(TypeDef {
        name: name.clone(),
        fields: vec![Field {
            name: key.clone(),
            ty: format!("{field_ty}?"),
            required: Required::No,
        }],
        values: Vec::new(),
    });
    spec.result.ty = name;
}

/// Walks the example value along `ty` and turns struct fields whose value is keyed by data into
/// maps of that struct.
fn maps(spec: &mut Spec, ty: &str, v: &Value, depth: usize) {
    if depth > 8 {
        return;
    }
    let ty = bare(ty);
    if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        if let Value::Array(a) = v {
            for x in a.iter().take(50) {
                maps(spec, inner, x, depth + 1);
            }
        }
        return;
    }
    if let Some(inner) = ty.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        if let Value::Object(o) = v {
            for x in o.values().take(50) {
                maps(spec, inner, x, depth + 1);
            }
        }
        return;
    }
    let Value::Object(obj) = v else { return };
    let Some(fields) = fields_of(spec, ty) else {
        return;
    };
    let fields: Vec<Field> = fields.to_vec();
    for f in &fields {
        let Some(fv) = obj.get(&f.name) else { continue };
        if f.ty == "any" || f.ty == "[any]" {
            untyped(spec, ty, &f.name, fv);
            continue;
        }
        let fty = bare(&f.ty).to_string();
        let mut next = f.ty.clone();
        if let (Some(inner_fields), Value::Object(m)) = (fields_of(spec, &fty), fv) {
            if keyed_by_data(inner_fields, m) {
                let map = format!("{{{fty}}}{}", if f.ty.ends_with('?') { "?" } else { "" });
                if let Some(t) = spec.types.iter_mut().find(|t| t.name == ty) {
                    if let Some(x) = t.fields.iter_mut().find(|x| x.name == f.name) {
                        x.ty = map.clone();
                    }
                }
                next = map;
            }
        }
        maps(spec, &next, fv, depth + 1);
    }
}

/// No key is a field of the struct, every value is an object, and some value has the struct's
/// fields: the keys are data.
fn keyed_by_data(fields: &[Field], m: &Map<String, Value>) -> bool {
    !m.is_empty()
        && !overlaps(fields, m)
        && m.values().all(Value::is_object)
        && m.values()
            .filter_map(Value::as_object)
            .any(|o| overlaps(fields, o))
}

/// A field the tables leave loose (no type, or an object or array whose fields are on no page)
/// takes the shape its value has in the example, where that shape is plain (see [`shape`]).
fn untyped(spec: &mut Spec, owner: &str, name: &str, v: &Value) {
    let loose = [
        "`: no type given; typed as any",
        "`: object whose fields are on no page; typed as any",
        "`: array whose fields are on no page; typed as any",
        "`: array whose fields are on no page; typed as [any]",
    ];
    let Some(at) = spec.todo.iter().position(|p| {
        loose.iter().any(|l| {
            p.ends_with(l) && {
                let path = p.trim_start_matches('`').split('`').next().unwrap_or("");
                path.rsplit('.').next() == Some(name) && path.starts_with("result")
            }
        })
    }) else {
        return;
    };
    // A plain shape, else a struct of the example's objects (one, or a list of them).
    let ty = match shape(v) {
        Some(ty) => ty,
        None => {
            let (objects, list): (Vec<&Map<String, Value>>, bool) = match v {
                Value::Object(m) => (vec![m], false),
                Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object) => {
                    (a.iter().filter_map(Value::as_object).collect(), true)
                }
                _ => return,
            };
            let Some(fields) = example_fields(&objects) else {
                return;
            };
            let made = unique_name(spec, &crate::types::type_name(name));
            spec.types.push(TypeDef {
                name: made.clone(),
                fields,
                values: Vec::new(),
            });
            if list {
                format!("[{made}]")
            } else {
                made
            }
        }
    };
    let Some(f) = spec
        .types
        .iter_mut()
        .find(|t| t.name == owner)
        .and_then(|t| t.fields.iter_mut().find(|f| f.name == name))
    else {
        return;
    };
    f.ty = format!("{ty}?");
    spec.todo.remove(at);
}

/// The fields of a struct read from example objects: the keys whose values have a plain shape
/// (one shape across the objects). `None` when a key is no wire name (keys that are data) or
/// fewer than two fields remain.
fn example_fields(objects: &[&Map<String, Value>]) -> Option<Vec<Field>> {
    let mut fields: Vec<Field> = Vec::new();
    for o in objects {
        for (k, v) in *o {
            if !crate::row::is_wire_name(k) {
                return None;
            }
            let Some(ty) = shape(v) else { continue };
            let ty = format!("{ty}?");
            match fields.iter_mut().find(|f| &f.name == k) {
                Some(f) if f.ty != ty => f.ty = String::new(),
                Some(_) => {}
                None => fields.push(Field {
                    name: k.clone(),
                    ty,
                    required: Required::No,
                }),
            }
        }
    }
    fields.retain(|f| !f.ty.is_empty());
    (fields.len() >= 2).then_some(fields)
}

/// The type a value plainly has: a scalar's, a non-empty list of one scalar kind, or a
/// non-empty object of only text or only whole numbers (`{string}`, `{integer}`: keys that are
/// data, such as languages).
pub fn shape(v: &Value) -> Option<String> {
    let scalar = |v: &Value| match v {
        Value::Bool(_) => Some("boolean"),
        Value::String(_) => Some("string"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("double"),
        _ => None,
    };
    match v {
        Value::Array(a) if !a.is_empty() => {
            let kinds: Vec<&str> = a.iter().map(scalar).collect::<Option<_>>()?;
            let first = kinds[0];
            kinds
                .iter()
                .all(|k| *k == first)
                .then(|| format!("[{first}]"))
        }
        // Text or whole numbers; a mix has no plain shape.
        Value::Object(m) if !m.is_empty() => {
            if m.values().all(Value::is_string) {
                Some("{string}".to_string())
            } else if m.values().all(|x| x.is_i64() || x.is_u64()) {
                Some("{integer}".to_string())
            } else {
                None
            }
        }
        other => scalar(other).map(str::to_string),
    }
}

/// A result the tables leave untyped (`any`, the page has no table for it) whose example is an
/// object, or a list of objects: a struct of the keys whose values have a plain shape in the
/// example; the other keys stay in the extra map.
fn from_example(spec: &mut Spec, result: &Value) {
    if spec.result.ty != "any" && spec.result.ty != "[any]" {
        return;
    }
    // Only where the page gives no fields for it (a union, such as `object | string`, is a
    // decision the page made).
    let no_fields = spec.todo.iter().any(|p| {
        p.starts_with("`result`: ")
            && (p.contains("fields are on no page") || p.contains("no type given"))
    });
    if !no_fields {
        return;
    }
    let (objects, list): (Vec<&Map<String, Value>>, bool) = match result {
        Value::Object(m) => (vec![m], false),
        Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object) => {
            (a.iter().filter_map(Value::as_object).collect(), true)
        }
        _ => return,
    };
    // Only text (or only numbers): the keys may as well be data (voice names, option names),
    // so a map.
    let all = |pred: fn(&Value) -> bool| objects.iter().all(|o| o.values().all(pred));
    let map = if all(Value::is_string) {
        Some("{string}")
    } else if all(|v| v.is_i64() || v.is_u64()) {
        Some("{integer}")
    } else {
        None
    };
    if let Some(map) = map {
        spec.result.ty = if list {
            format!("[{map}]")
        } else {
            map.to_string()
        };
        drop_result_todo(spec);
        return;
    }
    // Keys that are data (IDs, codes), or too little to read: no struct.
    let Some(fields) = example_fields(&objects) else {
        return;
    };
    let name = unique_name(spec, &crate::types::type_name("result"));
    spec.types.push(TypeDef {
        name: name.clone(),
        fields,
        values: Vec::new(),
    });
    spec.result.ty = if list { format!("[{name}]") } else { name };
    drop_result_todo(spec);
}

/// The todo point that the result had no fields, once the example gave them.
fn drop_result_todo(spec: &mut Spec) {
    spec.todo.retain(|p| {
        !(p.starts_with("`result`: ")
            && (p.contains("fields are on no page") || p.contains("no type given")))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn plain_shapes() {
        assert_eq!(shape(&json!(3)).as_deref(), Some("integer"));
        assert_eq!(shape(&json!(0.5)).as_deref(), Some("double"));
        assert_eq!(shape(&json!(["a", "b"])).as_deref(), Some("[string]"));
        assert_eq!(
            shape(&json!({"en": "A", "de": "B"})).as_deref(),
            Some("{string}")
        );
        assert_eq!(
            shape(&json!({"a": 1, "b": 2})).as_deref(),
            Some("{integer}")
        );
        // Mixed, empty, null and nested values have no plain shape.
        assert_eq!(shape(&json!({"a": 1, "b": "x"})), None);
        assert_eq!(shape(&json!([1, "x"])), None);
        assert_eq!(shape(&json!([])), None);
        assert_eq!(shape(&json!(null)), None);
        assert_eq!(shape(&json!([{"a": 1}])), None);
    }

    #[test]
    fn keys_that_are_data() {
        let fields = vec![
            Field {
                name: "title".into(),
                ty: "string?".into(),
                required: Required::No,
            },
            Field {
                name: "value".into(),
                ty: "string?".into(),
                required: Required::No,
            },
        ];
        let data = json!({"Number": {"title": "N"}, "Date": {"value": "x"}});
        assert!(keyed_by_data(&fields, data.as_object().unwrap()));
        // A record of the struct itself is not a map.
        let record = json!({"title": "N", "value": "x"});
        assert!(!keyed_by_data(&fields, record.as_object().unwrap()));
        // Objects that share nothing with the struct are not its map.
        let other = json!({"a": {"x": 1}});
        assert!(!keyed_by_data(&fields, other.as_object().unwrap()));
    }
}

//! What a portal forgives before it checks anything: the case of method names and of top-level
//! parameter names (`ID` and `id`, `FILTER` and `filter`), numbers where text is documented (PHP
//! reads every form value as text anyway), and `{}` / `[]` for an empty list or object. The
//! parameters are brought to the spec's spelling here, so the checks and the store after this see
//! one form whatever the client sent.

use bitrix_codegen::model::{Ty, TypeKind};
use bitrix_codegen::Method;
use serde_json::{Map, Value};

use crate::state::Shared;
use crate::store::shape::Shape;

/// The name `name` is known by (`telephony.externalcall.register` is
/// `telephony.externalCall.register`): the exact name first, else the one spec whose name differs
/// only in case. A name two specs share up to case resolves to neither (it stays as sent).
pub fn method_name<'a>(shared: &'a Shared, name: &'a str, v3: bool) -> &'a str {
    if shared.method(name, v3).is_some() {
        return name;
    }
    let mut found = shared
        .methods
        .values()
        .filter(|m| m.name.eq_ignore_ascii_case(name) && (m.rest == 3) == v3);
    match (found.next(), found.next()) {
        (Some(m), None) => &m.name,
        _ => name,
    }
}

/// Renames top-level keys that match a name the method knows up to case to that name, unless
/// the exact name is given too (then the exact one is used and the other ignored, as a portal
/// that reads one spelling would).
pub fn rename_keys(params: &mut Map<String, Value>, known: &[&str]) {
    let renames: Vec<(String, &str)> = params
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .filter_map(|k| {
            let target = known.iter().find(|n| n.eq_ignore_ascii_case(k))?;
            (!params.contains_key(*target)).then(|| (k.clone(), *target))
        })
        .collect();
    for (from, to) in renames {
        if params.contains_key(to) {
            continue; // two spellings of one name: the first rename wins
        }
        if let Some(v) = params.remove(&from) {
            params.insert(to.to_string(), v);
        }
    }
}

/// Brings a parameter sent under one of its older names (spec `aliases`: `id` for
/// `tasks.task.get`'s `taskId`) to its documented name, unless the documented name is given too
/// (then it wins and the old one is ignored). Names compare up to case unless the method reads
/// them exactly (`param_case = "exact"`).
pub fn aliases(params: &mut Map<String, Value>, method: &Method) {
    let same = |a: &str, b: &str| {
        if method.exact_names {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    for p in method.params.iter().filter(|p| !p.aliases.is_empty()) {
        if params.keys().any(|k| same(k, &p.wire)) {
            continue;
        }
        let old = params
            .keys()
            .find(|k| p.aliases.iter().any(|a| same(k, a)))
            .cloned();
        if let Some(v) = old.and_then(|k| params.remove(&k)) {
            params.insert(p.wire.clone(), v);
        }
    }
}

/// The top-level names `method` reads: its parameters, and the `[state]` ones the store reads
/// (`id`, the fields object, partitions) and the list arguments every list method takes.
pub fn known_names(method: &Method) -> Vec<&str> {
    let mut names: Vec<&str> = method.params.iter().map(|p| p.wire.as_str()).collect();
    if let Some(st) = &method.state {
        names.extend(st.id.as_deref());
        names.extend(st.fields.as_deref().and_then(|f| f.split('.').next()));
        names.extend(st.partition.iter().map(String::as_str));
    }
    if method.result.paged || method.state.is_some() {
        for list_arg in ["filter", "order", "select", "start"] {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(list_arg)) {
                names.push(list_arg);
            }
        }
    }
    names
}

/// Renames the field names of a list's `filter` and `order` to the entity's spelling when they
/// match it up to case and underscores: portals take `ID` for `id` and `RESPONSIBLE_ID` for
/// `responsibleId` in `tasks.task.list` (fast_bitrix24's suite orders it by `ID`). A filter key
/// keeps its operator prefix (`!`, `>=`, `%`, `<>`, …). Names the entity has are left alone.
pub fn field_names(params: &mut Map<String, Value>, shape: &Shape) {
    if let Some(Value::Object(order)) = params.get_mut("order") {
        rekey(order, shape, false);
    }
    if let Some(Value::Object(filter)) = params.get_mut("filter") {
        rekey(filter, shape, true);
    }
}

fn rekey(map: &mut Map<String, Value>, shape: &Shape, operators: bool) {
    let renames: Vec<(String, String)> = map
        .keys()
        .filter_map(|key| {
            let split = if operators {
                key.find(|c: char| !"!<>=%@".contains(c))
                    .unwrap_or(key.len())
            } else {
                0
            };
            let (op, name) = key.split_at(split);
            if name.is_empty() || shape.kind(name).is_some() {
                return None;
            }
            let field = spelling(shape, name)?;
            Some((key.clone(), format!("{op}{field}")))
        })
        .collect();
    for (from, to) in renames {
        if map.contains_key(&to) {
            continue;
        }
        if let Some(v) = map.remove(&from) {
            map.insert(to, v);
        }
    }
}

/// The entity's own name for `name`, compared without case and underscores.
fn spelling(shape: &Shape, name: &str) -> Option<String> {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wanted = plain(name);
    std::iter::once(&shape.key)
        .chain(shape.fields.keys())
        .chain(shape.partition.iter())
        .find(|f| !f.is_empty() && plain(f) == wanted)
        .cloned()
}

/// Brings every given parameter to its type's form where a portal would accept it anyway. A
/// stateful list's `filter`, `order` and `select` are left to the store, which checks them
/// against the entity's fields.
pub fn coerce_params(method: &Method, params: &mut Map<String, Value>) {
    let listed = method
        .state
        .as_ref()
        .is_some_and(|st| st.action == bitrix_codegen::model::Action::List);
    for p in &method.params {
        if listed && matches!(p.wire.as_str(), "filter" | "order" | "select") {
            continue;
        }
        if let Some(v) = params.get_mut(&p.wire) {
            coerce(method, &p.ty, v, 0);
        }
    }
}

/// Nesting followed at most; deeper values are left as sent (the check still sees them).
const MAX_DEPTH: usize = 32;

/// Coerces `value` towards `ty`: a number or boolean where text is documented becomes its text
/// (`true` is `"Y"`, as the SDKs send flags), a number where an enumerated text is documented
/// becomes its text, `{}` where a list is documented becomes `[]`; lists, maps and structures are
/// followed into.
fn coerce(method: &Method, ty: &Ty, value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match ty {
        Ty::Nullable(inner) => {
            if !value.is_null() {
                coerce(method, inner, value, depth + 1);
            }
        }
        Ty::String | Ty::Url | Ty::Date | Ty::DateTime => to_text(value),
        Ty::Select(_) | Ty::Filter(_) => empty_object_to_list(value),
        Ty::List(inner) => {
            empty_object_to_list(value);
            keyed_object_to_list(value);
            match value {
                Value::Array(items) => items
                    .iter_mut()
                    .for_each(|v| coerce(method, inner, v, depth + 1)),
                Value::Object(map) => map
                    .values_mut()
                    .for_each(|v| coerce(method, inner, v, depth + 1)),
                _ => {}
            }
        }
        // PHP has one array type: `[]` is the same empty filter as `{}`.
        Ty::Conditions(_) => {
            if matches!(value, Value::Array(a) if a.is_empty()) {
                *value = Value::Object(Default::default());
            }
        }
        Ty::Map(inner) => {
            if let Value::Object(map) = value {
                map.values_mut()
                    .for_each(|v| coerce(method, inner, v, depth + 1));
            }
        }
        Ty::Named(name) => match method.type_def(name).map(|d| &d.kind) {
            Some(TypeKind::Enum { .. }) => to_text(value),
            Some(TypeKind::Struct { fields, .. }) => {
                if let Value::Object(map) = value {
                    for f in fields {
                        if let Some(v) = map.get_mut(&f.wire) {
                            coerce(method, &f.ty, v, depth + 1);
                        }
                    }
                }
            }
            None => {}
        },
        // Either form is kept as sent.
        Ty::LangText | Ty::OneOrMany(_) => {}
        Ty::Integer | Ty::Double | Ty::Boolean | Ty::Flag | Ty::File | Ty::Any => {}
    }
}

/// A number or a boolean as PHP would print it into text (`true` as `"Y"`: Bitrix24's flags).
fn to_text(value: &mut Value) {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "Y" } else { "N" }.to_string(),
        _ => return,
    };
    *value = Value::String(text);
}

/// PHP has one array type: `{"UA": "UA"}` (`users[UA]=UA`) where a list is documented is a list
/// whose keys the method does not read, so its values are taken. Objects keyed `0..n` are left
/// to the check, which reads them as lists already.
fn keyed_object_to_list(value: &mut Value) {
    if let Value::Object(map) = value {
        if map.keys().any(|k| k.parse::<usize>().is_err()) {
            *value = Value::Array(map.values().cloned().collect());
        }
    }
}

/// PHP has one array type: an empty `{}` is the same empty array as `[]`.
fn empty_object_to_list(value: &mut Value) {
    if matches!(value, Value::Object(m) if m.is_empty()) {
        *value = Value::Array(Vec::new());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_take_the_known_spelling_and_the_exact_one_wins() {
        let mut p = json!({"id": 1, "FILTER": {"a": 1}, "other": 2})
            .as_object()
            .cloned()
            .unwrap();
        rename_keys(&mut p, &["ID", "filter"]);
        assert_eq!(
            Value::Object(p),
            json!({"ID": 1, "filter": {"a": 1}, "other": 2})
        );
        let mut both = json!({"id": 1, "ID": 2}).as_object().cloned().unwrap();
        rename_keys(&mut both, &["ID"]);
        assert_eq!(Value::Object(both), json!({"id": 1, "ID": 2}));
    }

    #[test]
    fn numbers_and_flags_become_text_and_empty_objects_lists() {
        let mut n = json!(42);
        to_text(&mut n);
        assert_eq!(n, json!("42"));
        let mut b = json!(true);
        to_text(&mut b);
        assert_eq!(b, json!("Y"));
        let mut o = json!({});
        empty_object_to_list(&mut o);
        assert_eq!(o, json!([]));
        let mut kept = json!({"a": 1});
        empty_object_to_list(&mut kept);
        assert_eq!(kept, json!({"a": 1}));
    }
}

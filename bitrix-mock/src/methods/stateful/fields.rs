//! `fields` methods: the entity's fields as the specs describe them.

use serde_json::{json, Map, Value};

use crate::store::shape::{is_user_field, Kind, Shape};

/// The field descriptions of a `fields` method.
pub(super) fn describe(shape: &Shape) -> Value {
    let upper = shape.upper();
    let mut out = Map::new();
    let system = [
        "DATE_CREATE",
        "createdTime",
        "DATE_MODIFY",
        "updatedTime",
        "CREATED_BY_ID",
        "createdBy",
        "MODIFY_BY_ID",
        "updatedBy",
    ];
    let key = std::iter::once((shape.key.clone(), Kind::Integer));
    for (name, kind) in key.chain(shape.fields.iter().map(|(k, v)| (k.clone(), *v))) {
        let read_only = name == shape.key || system.contains(&name.as_str());
        let mut info = json!({
            "type": kind.word(),
            "isRequired": false,
            "isReadOnly": read_only,
            "isImmutable": false,
            "isMultiple": matches!(kind, Kind::List | Kind::Multi),
            "isDynamic": is_user_field(&name),
            "title": name,
        });
        if !upper {
            info["upperName"] = json!(upper_name(&name));
        }
        out.insert(name, info);
    }
    Value::Object(out)
}

/// `assignedById` -> `ASSIGNED_BY_ID`.
fn upper_name(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

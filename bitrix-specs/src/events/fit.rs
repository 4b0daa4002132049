//! The documented example must decode into the imported types. Where a value of the example does
//! not fit the type its table gives (a number documented as `string`, an object as `integer`),
//! the example wins as the portal's word: the field becomes `any`, with a todo point.

use serde_json::{Map, Value};

use bitrix_codegen::write::spec::{Field, TypeDef};

/// Checks `data` against the payload fields; demotes what does not fit and says why in `notes`.
pub fn fit(fields: &mut [Field], types: &mut [TypeDef], data: &Value, notes: &mut Vec<String>) {
    let Value::Object(obj) = data else {
        return;
    };
    let mut misfits = Vec::new();
    check(None, fields, obj, types, "", &mut misfits, 0);
    for (owner, name, path, ty, better) in misfits {
        let target = match &owner {
            None => fields.iter_mut().find(|f| f.name == name),
            Some(t) => types
                .iter_mut()
                .find(|d| &d.name == t)
                .and_then(|d| d.fields.iter_mut().find(|f| f.name == name)),
        };
        if let Some(f) = target {
            match better {
                // A struct documented as `array`: the example shows a list of them.
                Some(list) => f.ty = list,
                None if f.ty != "any" => {
                    f.ty = "any".into();
                    notes.push(format!(
                        "`{path}`: the example's value does not fit `{ty}`; typed as any"
                    ));
                }
                None => {}
            }
        }
    }
}

/// Owner type (`None`: the payload), field, path, its type, and a type that fits, if one does.
type Misfit = (Option<String>, String, String, String, Option<String>);

fn check(
    owner: Option<&str>,
    fields: &[Field],
    obj: &Map<String, Value>,
    types: &[TypeDef],
    prefix: &str,
    out: &mut Vec<Misfit>,
    depth: usize,
) {
    if depth > 8 {
        return;
    }
    for f in fields {
        let Some(v) = obj.get(&f.name) else { continue };
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        if !fits(&f.ty, v, types, &path, out, depth) {
            let list = format!("[{}]", f.ty);
            let is_struct = types.iter().any(|t| t.name == f.ty && t.values.is_empty());
            let better = (is_struct && v.is_array() && fits(&list, v, types, &path, out, depth))
                .then_some(list);
            out.push((
                owner.map(str::to_string),
                f.name.clone(),
                path,
                f.ty.clone(),
                better,
            ));
        }
    }
}

/// Whether `v` decodes as `ty`; struct values are checked field by field (their misfits go to
/// `out`, so only the inner field is demoted).
fn fits(
    ty: &str,
    v: &Value,
    types: &[TypeDef],
    path: &str,
    out: &mut Vec<Misfit>,
    depth: usize,
) -> bool {
    if absent(v) || ty == "any" {
        return true;
    }
    if let Some(inner) = ty.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return match v {
            Value::Array(items) => items
                .iter()
                .all(|i| fits(inner, i, types, path, out, depth)),
            Value::Object(m) => m.values().all(|i| fits(inner, i, types, path, out, depth)),
            _ => false,
        };
    }
    if let Some(inner) = ty.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        return match v {
            Value::Object(m) => m.values().all(|i| fits(inner, i, types, path, out, depth)),
            Value::Array(items) => items
                .iter()
                .all(|i| fits(inner, i, types, path, out, depth)),
            _ => false,
        };
    }
    match ty {
        "integer" => match v {
            Value::Number(n) => {
                n.is_i64()
                    || n.as_f64()
                        .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            }
            Value::String(s) => s.trim().parse::<i64>().is_ok(),
            _ => false,
        },
        "double" => match v {
            Value::Number(_) => true,
            Value::String(s) => s.trim().parse::<f64>().is_ok(),
            _ => false,
        },
        "boolean" | "flag" => match v {
            Value::Bool(_) => true,
            Value::Number(n) => matches!(n.as_i64(), Some(0 | 1)),
            Value::String(s) => matches!(
                s.as_str(),
                "Y" | "N" | "y" | "n" | "true" | "false" | "1" | "0"
            ),
            _ => false,
        },
        "string" | "date" | "datetime" | "url" => {
            matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
        }
        name => match types.iter().find(|t| t.name == name) {
            Some(t) if t.values.is_empty() => match v {
                Value::Object(m) => {
                    check(Some(name), &t.fields, m, types, path, out, depth + 1);
                    true
                }
                Value::Array(a) => a.is_empty(),
                _ => false,
            },
            // An enum keeps values it does not list.
            Some(_) => matches!(v, Value::String(_) | Value::Number(_)),
            None => false,
        },
    }
}

/// What the receiver reads as absent: `null`, `""`, `undefined`.
fn absent(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty() || s == "undefined",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bitrix_codegen::write::spec::Required;
    use serde_json::json;

    fn field(name: &str, ty: &str) -> Field {
        Field {
            name: name.into(),
            ty: ty.into(),
            required: Required::No,
        }
    }

    #[test]
    fn misfits_become_any_inside_structs_too() {
        let mut fields = vec![
            field("ID", "integer"),
            field("FIELDS", "Fields"),
            field("N", "string"),
        ];
        let mut types = vec![TypeDef {
            name: "Fields".into(),
            fields: vec![field("ID", "integer"), field("OK", "flag")],
            values: Vec::new(),
        }];
        let data = json!({"ID": "12", "FIELDS": {"ID": {"x": 1}, "OK": "Y"}, "N": {"a": 1}});
        let mut notes = Vec::new();
        fit(&mut fields, &mut types, &data, &mut notes);
        assert_eq!(fields[0].ty, "integer");
        assert_eq!(fields[1].ty, "Fields");
        assert_eq!(fields[2].ty, "any");
        assert_eq!(types[0].fields[0].ty, "any");
        assert_eq!(types[0].fields[1].ty, "flag");
        assert_eq!(notes.len(), 2, "{notes:?}");
    }
}

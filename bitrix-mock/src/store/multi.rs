//! Multi-value fields (`PHONE`, `EMAIL`, `WEB`, `IM`, `LINK`): lists of `{VALUE, VALUE_TYPE}`.
//! Each stored entry gets an `ID` and `TYPE_ID`; an update adds entries without `ID`, changes the
//! entry with a given `ID`, and removes it when `DELETE` is `Y`, as the portal's multifields do.

use serde_json::{Map, Value};

/// The multi-value field names of the UPPER_CASE CRM entities.
const NAMES: [&str; 5] = ["PHONE", "EMAIL", "WEB", "IM", "LINK"];

/// Whether `name` with `value` is a multi-value field: a known name (or a field the spec declares
/// as such, `declared`) holding a list of objects.
pub fn is_multi(name: &str, value: &Value, declared: bool) -> bool {
    (declared || NAMES.contains(&name))
        && value
            .as_array()
            .is_some_and(|items| items.iter().all(Value::is_object))
}

/// Stores `given` entries for `name`: new ones get IDs from `next_id`.
pub fn merge(name: &str, stored: Option<&Value>, given: &Value, next_id: &mut u64) -> Value {
    let mut entries: Vec<Map<String, Value>> = stored
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_object().cloned()).collect())
        .unwrap_or_default();
    for item in given.as_array().into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        let id = item.get("ID").and_then(super::value::number);
        let delete = item
            .get("DELETE")
            .and_then(super::value::text)
            .is_some_and(|d| d == "Y");
        match id.and_then(|id| {
            entries
                .iter()
                .position(|e| e.get("ID").and_then(super::value::number) == Some(id))
        }) {
            Some(pos) if delete => {
                entries.remove(pos);
            }
            Some(pos) => {
                for (k, v) in item {
                    if k != "ID" && k != "DELETE" {
                        entries[pos].insert(k.clone(), v.clone());
                    }
                }
            }
            None if delete => {}
            None => {
                let mut e = item.clone();
                e.remove("DELETE");
                e.insert("ID".into(), Value::from(next_id.to_string()));
                *next_id += 1;
                e.entry("TYPE_ID").or_insert_with(|| Value::from(name));
                e.entry("VALUE_TYPE").or_insert_with(|| Value::from("WORK"));
                entries.push(e);
            }
        }
    }
    Value::Array(entries.into_iter().map(Value::Object).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn add_change_delete() {
        let mut next = 1;
        let v = merge(
            "PHONE",
            None,
            &json!([{"VALUE": "555", "VALUE_TYPE": "WORK"}, {"VALUE": "777"}]),
            &mut next,
        );
        assert_eq!(
            v,
            json!([{"VALUE": "555", "VALUE_TYPE": "WORK", "ID": "1", "TYPE_ID": "PHONE"},
                   {"VALUE": "777", "VALUE_TYPE": "WORK", "ID": "2", "TYPE_ID": "PHONE"}])
        );
        let v = merge(
            "PHONE",
            Some(&v),
            &json!([{"ID": "1", "VALUE": "556"}, {"ID": 2, "DELETE": "Y"}, {"VALUE": "9"}]),
            &mut next,
        );
        assert_eq!(v.as_array().map(Vec::len), Some(2));
        assert_eq!(v[0]["VALUE"], "556");
        assert_eq!(v[1]["ID"], "3");
        assert!(is_multi("EMAIL", &json!([{"VALUE": "a@b"}]), false));
        assert!(!is_multi("TITLE", &json!([{"VALUE": "a"}]), false));
    }
}

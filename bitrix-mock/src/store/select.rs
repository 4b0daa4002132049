//! The `select` of list methods: `["*"]` (every field except `UF_*` user fields, the portal's
//! default), named fields, and prefix patterns such as `UF_*` or `ufCrm*`. The ID is always kept.
//! A dotted name (`responsible.name`, REST 3.0) keeps that part of a nested object.

use serde_json::{Map, Value};

/// Why a select is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectError {
    /// Not a list of field names.
    Malformed,
}

/// What to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Select {
    names: Vec<String>,
}

/// Parses `select` (absent or empty means `*`).
pub fn parse(select: Option<&Value>) -> Result<Select, SelectError> {
    let items: Vec<&Value> = match select {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        // Form bodies send `select[]=a` as an array; a single name as text is accepted too.
        Some(v @ Value::String(_)) => vec![v],
        Some(Value::Object(map)) if map.keys().all(|k| k.parse::<usize>().is_ok()) => {
            map.values().collect()
        }
        Some(_) => return Err(SelectError::Malformed),
    };
    let mut names = Vec::new();
    for item in items {
        match item {
            Value::String(s) if !s.trim().is_empty() => names.push(s.trim().to_string()),
            _ => return Err(SelectError::Malformed),
        }
    }
    if names.is_empty() {
        names.push("*".into());
    }
    Ok(Select { names })
}

impl Select {
    /// The fields of `record` to answer; `key` always.
    pub fn apply(&self, record: &Map<String, Value>, key: &str) -> Map<String, Value> {
        let mut out: Map<String, Value> = record
            .iter()
            .filter(|(name, _)| name.as_str() == key || self.names.iter().any(|p| wants(p, name)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for path in self.names.iter().filter(|p| p.contains('.')) {
            let segments: Vec<&str> = path.split('.').collect();
            if let Some(value) = nested(record, &segments) {
                put(&mut out, &segments, value.clone());
            }
        }
        out
    }
}

/// The value at `path` inside nested objects, if the record has it.
fn nested<'a>(record: &'a Map<String, Value>, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let value = record.get(*first)?;
    match (rest.is_empty(), value) {
        (true, v) => Some(v),
        (false, Value::Object(inner)) => nested(inner, rest),
        _ => None,
    }
}

/// Sets `value` at `path`, creating the objects on the way (merging with what is there).
fn put(out: &mut Map<String, Value>, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        out.insert((*first).to_string(), value);
        return;
    }
    let slot = out
        .entry((*first).to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(inner) = slot {
        put(inner, rest, value);
    }
}

fn wants(pattern: &str, name: &str) -> bool {
    if pattern == "*" {
        // `*` leaves out UPPER_CASE user fields, as the portal does; they need `UF_*`.
        return !name.starts_with("UF_");
    }
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        // A name asked in the other casing is the same field (b24jssdk asks `tasks.task.get`
        // for `["ID", "TITLE"]`; a portal answers `id` and `title`).
        None => pattern == name || crate::names::loose_eq(pattern, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn star_names_and_prefixes() {
        let rec = json!({"ID": 1, "TITLE": "t", "UF_CRM_1": 5, "PHONE": []});
        let rec = rec.as_object().cloned().unwrap_or_default();
        let keys = |s: Value| -> Vec<String> {
            parse(Some(&s))
                .unwrap()
                .apply(&rec, "ID")
                .keys()
                .cloned()
                .collect()
        };
        assert_eq!(keys(json!([])), ["ID", "PHONE", "TITLE"]);
        assert_eq!(keys(json!(["TITLE"])), ["ID", "TITLE"]);
        assert_eq!(keys(json!(["title", "phone"])), ["ID", "PHONE", "TITLE"]);
        assert_eq!(keys(json!(["*", "UF_*"])).len(), 4);
        assert_eq!(parse(Some(&json!([1]))), Err(SelectError::Malformed));
        // REST 3.0: a related object's fields, by dotted path.
        let task =
            json!({"id": 1, "title": "t", "responsible": {"name": "Ann", "email": "a@x", "id": 7}});
        let task = task.as_object().cloned().unwrap_or_default();
        let picked = parse(Some(&json!([
            "title",
            "responsible.name",
            "responsible.email",
            "nope.x"
        ])))
        .unwrap()
        .apply(&task, "id");
        assert_eq!(
            Value::Object(picked),
            json!({"id": 1, "title": "t", "responsible": {"name": "Ann", "email": "a@x"}})
        );
        assert_eq!(parse(Some(&json!({"a": "b"}))), Err(SelectError::Malformed));
    }
}

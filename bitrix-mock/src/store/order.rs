//! The `order` of list methods: `{"lastName": "ASC", "name": "desc"}`, keys applied in turn, then
//! the ID so that pages never overlap.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use super::shape::Shape;
use super::value::{compare, field as field_of};

/// Why an order is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderError {
    /// Not an object of field to direction.
    Malformed,
    /// A field the entity does not have.
    UnknownField(String),
    /// A direction other than ASC or DESC.
    BadDirection(String),
}

/// Sort keys: field and whether descending.
pub type Order = Vec<(String, bool)>;

/// Parses `order` (absent, `[]` or an object).
pub fn parse(order: Option<&Value>, shape: &Shape) -> Result<Order, OrderError> {
    let map = match order {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) if a.is_empty() => return Ok(Vec::new()),
        Some(Value::Object(map)) => map,
        Some(_) => return Err(OrderError::Malformed),
    };
    let mut keys = Vec::new();
    for (field, dir) in map {
        if shape.kind(field).is_none() {
            return Err(OrderError::UnknownField(field.clone()));
        }
        let desc = match dir.as_str().map(str::to_ascii_uppercase).as_deref() {
            Some("ASC") => false,
            Some("DESC") => true,
            _ => return Err(OrderError::BadDirection(field.clone())),
        };
        keys.push((field.clone(), desc));
    }
    Ok(keys)
}

/// Sorts `records` by `order`, then by `key` ascending. The comparison is a total order (see
/// [`compare`]), so any values, NaN included, sort without surprises.
pub fn sort(records: &mut [&Map<String, Value>], order: &Order, key: &str) {
    records.sort_by(|a, b| {
        for (field, desc) in order {
            let o = compare(field_of(a, field), field_of(b, field));
            let o = if *desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        compare(field_of(a, key), field_of(b, key))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn several_keys_then_id() {
        let shape = Shape {
            key: "ID".into(),
            ..Shape::default()
        };
        let rows: Vec<Map<String, Value>> = [
            json!({"ID": 1, "A": "x", "B": 2}),
            json!({"ID": 2, "A": "x", "B": 3}),
            json!({"ID": 3, "A": "w", "B": 1}),
            json!({"ID": 4, "A": "x", "B": 3}),
        ]
        .iter()
        .map(|v| v.as_object().cloned().unwrap_or_default())
        .collect();
        let mut refs: Vec<&Map<String, Value>> = rows.iter().collect();
        let order = parse(Some(&json!({"A": "asc", "B": "DESC"})), &shape).unwrap();
        sort(&mut refs, &order, "ID");
        let ids: Vec<Value> = refs.iter().map(|r| r["ID"].clone()).collect();
        assert_eq!(ids, [json!(3), json!(2), json!(4), json!(1)]);
        assert_eq!(
            parse(Some(&json!({"A": "UP"})), &shape),
            Err(OrderError::BadDirection("A".into()))
        );
        assert_eq!(
            parse(Some(&json!(["A"])), &shape),
            Err(OrderError::Malformed)
        );
    }

    #[test]
    fn nan_and_mixed_values_sort_without_panic() {
        // Before `total_cmp`, NaN compared "equal" to everything, which is no order at all: the
        // standard sort may panic on such a comparator. Many rows make the sort exercise it.
        let rows: Vec<Map<String, Value>> = (0..200)
            .map(|i| {
                let v = match i % 4 {
                    0 => json!("NaN"),
                    1 => json!(i),
                    2 => json!(format!("{i}x")),
                    _ => json!(-(i as f64) / 3.0),
                };
                json!({"ID": i, "V": v})
                    .as_object()
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let mut refs: Vec<&Map<String, Value>> = rows.iter().collect();
        sort(&mut refs, &vec![("V".to_string(), false)], "ID");
        for w in refs.windows(2) {
            assert_ne!(compare(w[0].get("V"), w[1].get("V")), Ordering::Greater);
        }
    }
}

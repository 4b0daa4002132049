//! JSON comparison for the generated example tests: numbers compare by value (`10000` equals
//! `10000.0`), everything else exactly.

use serde_json::Value;

/// The path of the first difference between `actual` and `expected`, if any.
pub fn same_json(actual: &Value, expected: &Value) -> Result<(), String> {
    same(actual, expected, String::new())
}

fn same(a: &Value, b: &Value, path: String) -> Result<(), String> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.as_f64() == y.as_f64() => Ok(()),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (x, y))| same(x, y, format!("{path}[{i}]"))),
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().try_for_each(|(k, xv)| match y.get(k) {
                Some(yv) => same(xv, yv, format!("{path}.{k}")),
                None => Err(format!("{path}.{k}")),
            })
        }
        _ if a == b => Ok(()),
        _ => Err(if path.is_empty() {
            "(top)".into()
        } else {
            path
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(same(
            &json!({"a": [10000.0]}),
            &json!({"a": [10000]}),
            String::new()
        )
        .is_ok());
        assert_eq!(
            same(&json!({"a": 1}), &json!({"a": "1"}), String::new()),
            Err(".a".into())
        );
        assert!(same(&json!({"a": 1}), &json!({"a": 1, "b": 2}), String::new()).is_err());
    }
}

//! A scalar as the portal reads it, whatever body it came in: form bodies carry every scalar as
//! text, JSON bodies carry numbers and booleans.

use serde_json::Value;

/// A scalar as text (`5000`, `Y`, `NEW`); `None` for arrays, objects and null.
pub fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "Y" } else { "N" }.to_string()),
        _ => None,
    }
}

/// A scalar as a number, when it is one or is text of one.
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    }
}

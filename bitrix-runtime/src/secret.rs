//! Secrets (webhook codes, tokens, client secrets) that never show in Debug or Display, and the
//! redaction of secret-looking keys in JSON parameters and payloads.

use std::fmt;

use serde_json::{Map, Value};

/// A string that prints as `***`. Two secrets compare in time that depends only on their lengths.
#[derive(Clone, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself; call only where it must be sent or stored.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Secret {
    /// Compares every byte whatever differs first, so the time taken does not tell an attacker
    /// how much of a guessed token was right.
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_string())
    }
}

/// Compares two byte strings in time that depends only on their lengths, not on where they differ:
/// every byte is folded into one difference, with no early exit.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    let n = a.len().max(b.len());
    for i in 0..n {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= std::hint::black_box(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

/// Whether a parameter or payload key holds a secret (`botToken`, `BOT_TOKEN`, `CLIENT_SECRET`,
/// `auth`, `access_token`, `application_token`, `password`, …).
pub(crate) fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("token") || k.contains("secret") || k.contains("password") || k == "auth"
}

/// A copy of `v` with the values of secret keys (at any depth) replaced by `***`.
pub(crate) fn redact(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(redact_map(m)),
        Value::Array(items) => Value::Array(items.iter().map(redact).collect()),
        other => other.clone(),
    }
}

/// [`redact`] for an object's map.
pub(crate) fn redact_map(m: &Map<String, Value>) -> Map<String, Value> {
    m.iter()
        .map(|(k, v)| {
            let v = if is_secret_key(k) {
                Value::String("***".into())
            } else {
                redact(v)
            };
            (k.clone(), v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_by_value() {
        assert_eq!(Secret::new("abc"), Secret::new("abc"));
        assert_ne!(Secret::new("abc"), Secret::new("abd"));
        assert_ne!(Secret::new("abc"), Secret::new("abcd"));
        assert_ne!(Secret::new(""), Secret::new("a"));
    }

    #[test]
    fn secret_keys_are_redacted_at_any_depth() {
        let v = serde_json::json!({"BOT_TOKEN": "t1", "x": [{"botToken": "t2"}], "auth": {"a": 1},
            "CLIENT_SECRET": "s", "password": "p", "ok": "visible"});
        let text = format!("{:?}", redact(&v));
        for s in ["t1", "t2", "\"s\"", "\"p\"", "\"a\""] {
            assert!(!text.contains(s), "{s} in {text}");
        }
        assert!(text.contains("visible"));
    }
}

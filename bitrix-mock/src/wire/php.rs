//! PHP's `serialize()`: how a portal answers an array it keeps in a text column (a template's
//! `REPLICATE_PARAMS` reads back as `a:19:{s:6:"PERIOD";s:6:"weekly";…}`, whatever shape the
//! add sent).

use std::fmt::Write as _;

use serde_json::Value;

/// The text PHP's `serialize()` writes for `value` read as PHP would decode it: objects and
/// lists are arrays, keys that are whole numbers are integer keys.
pub fn serialize(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value);
    out
}

fn write(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("N;"),
        Value::Bool(b) => {
            let _ = write!(out, "b:{};", u8::from(*b));
        }
        Value::Number(n) => match n.as_i64() {
            Some(i) => {
                let _ = write!(out, "i:{i};");
            }
            None => {
                let _ = write!(out, "d:{};", n.as_f64().unwrap_or(0.0));
            }
        },
        Value::String(s) => string(out, s),
        Value::Array(items) => {
            let _ = write!(out, "a:{}:{{", items.len());
            for (i, item) in items.iter().enumerate() {
                let _ = write!(out, "i:{i};");
                write(out, item);
            }
            out.push('}');
        }
        Value::Object(map) => {
            let _ = write!(out, "a:{}:{{", map.len());
            for (k, item) in map {
                key(out, k);
                write(out, item);
            }
            out.push('}');
        }
    }
}

fn string(out: &mut String, s: &str) {
    // The length is in bytes, as PHP counts it.
    let _ = write!(out, "s:{}:\"{s}\";", s.len());
}

/// PHP turns a key that is a canonical whole number (`"5"`, not `"05"` or `"+5"`) into an
/// integer key.
fn key(out: &mut String, k: &str) {
    match k.parse::<i64>() {
        Ok(i) if i.to_string() == k => {
            let _ = write!(out, "i:{i};");
        }
        _ => string(out, k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_php_writes() {
        let v = json!({"PERIOD": "weekly", "WEEK_DAYS": [2], "EVERY_WEEK": 1, "END_DATE": null,
            "ON": true, "RATE": 1.5, "7": "é", "07": "x"});
        assert_eq!(
            serialize(&v),
            "a:8:{s:2:\"07\";s:1:\"x\";i:7;s:2:\"é\";s:8:\"END_DATE\";N;s:10:\"EVERY_WEEK\";i:1;\
             s:2:\"ON\";b:1;s:6:\"PERIOD\";s:6:\"weekly\";s:4:\"RATE\";d:1.5;\
             s:9:\"WEEK_DAYS\";a:1:{i:0;i:2;}}"
        );
    }
}

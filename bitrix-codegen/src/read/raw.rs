//! A spec file as plain values, key by key: the view of tools that compare files (the importer's
//! drift and stats) rather than generate from them. No rule of the format is checked here.

use serde_json::Value;
use toml::de::DeTable;

use super::table::to_json;

/// TOML text as a JSON object (keys sorted, as JSON objects are compared); a syntax error is
/// its message.
pub fn raw(text: &str) -> Result<Value, String> {
    let doc = DeTable::parse(text).map_err(|e| e.message().to_string())?;
    Ok(to_json(&toml::de::DeValue::Table(doc.into_inner())))
}

#[cfg(test)]
mod tests {
    use super::raw;

    #[test]
    fn every_kind_of_value() {
        let v =
            raw("a = \"x\"\nb = 0x10\nc = 1.5\nd = true\ne = [1, { f = \"g\" }]\n\n[t]\nk = 'v'\n")
                .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"a": "x", "b": 16, "c": 1.5, "d": true, "e": [1, {"f": "g"}], "t": {"k": "v"}})
        );
        assert!(!raw("a = ").unwrap_err().is_empty());
    }
}

//! `b24 batch FILE`: a list of `{key, method, params}` (JSON or TOML) sent as `batch` calls, with
//! `$result[key][...]` references between commands; every answer printed by key.

use std::path::Path;

use bitrix_rest::{Batch, Error};
use serde_json::{Map, Value};

use crate::auth::connect;
use crate::cli::Global;
use crate::failure::{Failure, Outcome};
use crate::output::{call_failure, print_json};
use crate::params::check_batch_params;

/// One command of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key its answer (and references to it) go by.
    pub key: String,
    /// The method.
    pub method: String,
    /// Its parameters (a JSON object).
    pub params: Value,
}

/// The file: the commands and whether to stop at the first failure.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchFile {
    /// `halt` as the file says.
    pub halt: bool,
    /// The commands in order.
    pub commands: Vec<Entry>,
}

/// Reads a batch file: `.toml` as TOML (`halt`, `[[commands]]`), anything else as JSON (a list,
/// or an object with `halt` and `commands`).
pub fn read(path: &Path) -> Result<BatchFile, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    let is_toml = path.extension().is_some_and(|e| e == "toml");
    let value: Value = if is_toml {
        toml::from_str(&text)
            .map_err(|e| Failure::usage(format!("{} is not valid TOML: {e}", path.display())))?
    } else {
        serde_json::from_str(&text)
            .map_err(|e| Failure::usage(format!("{} is not valid JSON: {e}", path.display())))?
    };
    parse(value).map_err(|why| Failure::usage(format!("{}: {why}", path.display())))
}

/// The commands of a parsed batch file.
pub fn parse(value: Value) -> Result<BatchFile, String> {
    let (halt, list) = match value {
        Value::Array(list) => (false, list),
        Value::Object(mut map) => {
            let halt = matches!(map.get("halt"), Some(Value::Bool(true)));
            let list = ["commands", "command", "cmd"]
                .iter()
                .find_map(|k| map.remove(*k))
                .ok_or("expected a list of commands, or `commands` = [...]")?;
            let Value::Array(list) = list else {
                return Err("`commands` must be a list".into());
            };
            (halt, list)
        }
        _ => return Err("expected a list of commands".into()),
    };
    let commands = list
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let Value::Object(mut map) = entry else {
                return Err(format!("command {} is not an object", i + 1));
            };
            let mut text = |k: &str| match map.remove(k) {
                Some(Value::String(s)) if !s.is_empty() => Ok(s),
                _ => Err(format!("command {} lacks `{k}`", i + 1)),
            };
            let key = text("key")?;
            let method = text("method")?;
            let params = match map.remove("params") {
                None | Some(Value::Null) => Value::Object(Map::new()),
                Some(p @ Value::Object(_)) => p,
                Some(_) => return Err(format!("`params` of `{key}` must be an object")),
            };
            Ok(Entry {
                key,
                method,
                params,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if commands.is_empty() {
        return Err("the batch has no commands".into());
    }
    Ok(BatchFile { halt, commands })
}

/// Runs `b24 batch`.
pub async fn run(global: &Global, file: &Path, halt: bool, raw: bool) -> Outcome {
    let parsed = read(file)?;
    let webhook = global.oauth.is_none();
    let mut batch = Batch::new().halt(halt || parsed.halt);
    let mut handles = Vec::new();
    for entry in &parsed.commands {
        let spec = super::lookup(&entry.method, raw)
            .map_err(|f| Failure::usage(format!("command `{}`: {}", entry.key, f.message)))?;
        if let Some(spec) = spec {
            check_batch_params(spec, &entry.params, webhook)
                .map_err(|f| Failure::usage(format!("command `{}`: {}", entry.key, f.message)))?;
        }
        let handle = batch
            .add_raw(&entry.key, &entry.method, entry.params.clone())
            .map_err(|e| Failure::usage(format!("command `{}`: {e}", entry.key)))?;
        handles.push((handle, spec, entry));
    }
    let portal = connect(global)?;
    for entry in &parsed.commands {
        super::trace(global, &entry.method, &entry.params);
    }
    let answers = portal
        .client
        .batch(&batch)
        .await
        .map_err(|e| call_failure(None, "batch", &e.error))?;
    let mut out = Map::new();
    let mut failed = Vec::new();
    for (handle, spec, entry) in handles {
        if !answers.ran(&entry.key) {
            out.insert(entry.key.clone(), serde_json::json!({"not_run": true}));
            continue;
        }
        match answers.get_raw(&handle) {
            Ok(answer) => {
                out.insert(entry.key.clone(), answer.result);
            }
            Err(e) => {
                let code = e.code().unwrap_or("ERROR").to_string();
                let description = match &e {
                    Error::Method(api) => api.description.clone(),
                    Error::System(api) => api.description.clone(),
                    other => other.to_string(),
                };
                out.insert(
                    entry.key.clone(),
                    serde_json::json!({"error": code, "error_description": description}),
                );
                failed.push(format!(
                    "  {}: {}",
                    entry.key,
                    call_failure(spec, &entry.method, &e).message
                ));
            }
        }
    }
    print_json(&Value::Object(out))?;
    if failed.is_empty() {
        Ok(0)
    } else {
        Err(Failure::api(format!(
            "{} of {} commands failed:\n{}",
            failed.len(),
            parsed.commands.len(),
            failed.join("\n")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_and_toml_shapes() {
        let f = parse(json!([{"key": "a", "method": "user.current"}])).unwrap();
        assert_eq!(f.commands[0].params, json!({}));
        let t: Value = toml::from_str(
            "halt = true\n[[commands]]\nkey = \"a\"\nmethod = \"crm.item.get\"\nparams = { entityTypeId = 2, id = \"$result[x][item][id]\" }\n",
        )
        .unwrap();
        let f = parse(t).unwrap();
        assert!(f.halt);
        assert_eq!(f.commands[0].params["entityTypeId"], json!(2));
        assert!(parse(json!([{"method": "x"}])).is_err());
    }
}

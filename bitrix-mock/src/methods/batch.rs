//! `batch`: up to 50 sub-calls given as `method?query` strings, run in order, with
//! `$result[id][field]` references to earlier results and `halt` to stop at the first error. The
//! answer is always HTTP 200 with the five maps of the official documentation.

use serde_json::{json, Map, Value};

use super::call;
use crate::envelope::{time_json, ApiError, Success};
use crate::faults::FaultRule;
use crate::params::flag;
use crate::params::parse_query;
use crate::state::Caller;
use crate::state::Shared;

/// Most sub-calls one batch may carry.
pub const MAX_COMMANDS: usize = bitrix_facts::MAX_BATCH_COMMANDS;

/// Runs a batch for `caller`.
pub fn run(shared: &Shared, caller: &Caller, params: &Value) -> Result<Success, ApiError> {
    let mut commands: Vec<(String, Value)> = match params.get("cmd") {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .collect(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            return Err(ApiError::new(
                400,
                "INVALID_ARGUMENTS",
                "`cmd` must be a map of id to \"method?query\"",
            ))
        }
    };
    // In the order sent, as the portal runs them (the parsed map is sorted by key).
    crate::key_order::arrange(&mut commands, params.get(crate::key_order::CMD_KEYS));
    if commands.len() > MAX_COMMANDS {
        return Err(ApiError::system(
            bitrix_facts::SystemError::ErrorBatchLengthExceeded,
            "Max batch length exceeded",
        ));
    }
    let halt = params.get("halt").is_some_and(flag);
    let mut results = Map::new();
    let mut errors = Map::new();
    let mut totals = Map::new();
    let mut nexts = Map::new();
    let mut times = Map::new();
    for (id, command) in commands {
        let start = shared.clock.now();
        // The command's method, whose operating figures its `result_time` entry carries.
        let mut billed_to = None;
        let outcome = match command.as_str() {
            Some(text) => {
                let (method, query) = text.split_once('?').unwrap_or((text, ""));
                let method = method.trim().strip_suffix(".json").unwrap_or(method.trim());
                billed_to = Some(super::lenient::method_name(shared, method, false));
                let mut sub = substitute(parse_query(query), &results);
                crate::key_order::note(&mut sub, query, false);
                if let Value::Object(map) = &mut sub {
                    // Sub-calls run with the batch's own authorization.
                    map.remove("auth");
                }
                // A command suffers its method's fault rules like a call of its own; a delay
                // cannot hold one command, so only rules with a status apply here.
                let fault = shared.data().draw_fault(method);
                match fault {
                    Some(
                        rule @ FaultRule {
                            status: Some(status),
                            ..
                        },
                    ) => Err(ApiError::new(
                        status,
                        &rule.error_code(),
                        "Fault injected by the emulator",
                    )),
                    _ => call(shared, caller, method, sub, super::Api::Batch).0,
                }
            }
            None => Err(ApiError::new(
                400,
                "INVALID_ARGUMENTS",
                "A batch command must be a \"method?query\" string",
            )),
        };
        // Portals give every command the eight keys of a method's own `time`, with the
        // operating figures of the command's method for the caller (recorded batch answers of
        // 2023-2025: `operating_reset_at`, `operating` after `date_finish`).
        let finish = shared.clock.now();
        let operating = billed_to.map(|m| shared.data().operating.current(&caller.app, m, finish));
        times.insert(id.clone(), time_json(start, finish, operating));
        match outcome {
            Ok(success) => {
                if let Some(total) = success.total {
                    totals.insert(id.clone(), json!(total));
                }
                if let Some(next) = success.next {
                    nexts.insert(id.clone(), json!(next));
                }
                results.insert(id, success.result);
            }
            Err(e) => {
                errors.insert(id, e.body());
                if halt {
                    break;
                }
            }
        }
    }
    Ok(Success::of(json!({
        "result": php_array(results),
        "result_error": php_array(errors),
        "result_total": php_array(totals),
        "result_next": php_array(nexts),
        "result_time": php_array(times),
    })))
}

/// How PHP's `json_encode` sends an array: `[]` when empty, a list when keyed `0..n`, else an object.
fn php_array(map: Map<String, Value>) -> Value {
    let n = map.len();
    let sequential = map.keys().all(|k| {
        k.parse::<usize>()
            .is_ok_and(|i| i < n && i.to_string() == *k)
    });
    if sequential {
        let mut items: Vec<(usize, Value)> = map
            .into_iter()
            .map(|(k, v)| (k.parse().unwrap_or(0), v))
            .collect();
        items.sort_by_key(|(i, _)| *i);
        Value::Array(items.into_iter().map(|(_, v)| v).collect())
    } else {
        Value::Object(map)
    }
}

/// Replaces `$result[id][field]…` in every string of `value` by the earlier result. A string that is
/// only a reference takes the referenced value as it is (a number stays a number); a reference inside
/// longer text is replaced by its text. Unknown references are left as written.
fn substitute(value: Value, results: &Map<String, Value>) -> Value {
    match value {
        Value::String(s) => substitute_text(&s, results),
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| substitute(v, results)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, substitute(v, results)))
                .collect(),
        ),
        other => other,
    }
}

const MARK: &str = "$result[";

fn substitute_text(s: &str, results: &Map<String, Value>) -> Value {
    if !s.contains(MARK) {
        return Value::String(s.to_string());
    }
    if let Some((value, len)) = reference(s, results) {
        if len == s.len() {
            return value;
        }
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(pos) = rest.find(MARK) {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        match reference(tail, results) {
            Some((value, len)) => {
                out.push_str(&scalar_text(&value));
                rest = &tail[len..];
            }
            None => {
                out.push_str(MARK);
                rest = &tail[MARK.len()..];
            }
        }
    }
    out.push_str(rest);
    Value::String(out)
}

/// Resolves the reference at the start of `s`; returns the value and the reference's length.
fn reference(s: &str, results: &Map<String, Value>) -> Option<(Value, usize)> {
    let mut rest = s.strip_prefix("$result")?;
    let mut len = "$result".len();
    let mut keys = Vec::new();
    while let Some(after) = rest.strip_prefix('[') {
        let close = after.find(']')?;
        keys.push(&after[..close]);
        len += close + 2;
        rest = &after[close + 1..];
    }
    let (first, path) = keys.split_first()?;
    let mut node = results.get(*first)?;
    for key in path {
        node = match node {
            Value::Object(map) => map.get(*key)?,
            Value::Array(items) => items.get(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some((node.clone(), len))
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_whole_and_inline() {
        let mut results = Map::new();
        results.insert("bot".into(), json!(101));
        results.insert("u".into(), json!({"ID": "7", "DEP": [3, 4]}));
        assert_eq!(substitute_text("$result[bot]", &results), json!(101));
        assert_eq!(substitute_text("$result[u][DEP][1]", &results), json!(4));
        assert_eq!(
            substitute_text("id-$result[u][ID]!", &results),
            json!("id-7!")
        );
        assert_eq!(
            substitute_text("$result[nope]", &results),
            json!("$result[nope]")
        );
        assert_eq!(substitute_text("$result[u", &results), json!("$result[u"));
    }
}

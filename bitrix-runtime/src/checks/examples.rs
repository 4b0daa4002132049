//! The check behind the generated example tests: one generic function that every method's
//! documented examples run through, so the tests are a table row per method.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, MethodError};
use crate::method::Method;
use crate::transport::answer::classify;
use crate::wire::compare::same_json;

/// Checks one method's documented examples (a JSON list of `{name, request, status, response}`)
/// and error rows; the error says which example or row fails and how. `required`: the spec must
/// have an example (hand-finished specs; an imported one may document none, and says so in `todo`).
pub fn check_examples<M: Method + DeserializeOwned>(
    examples: &str,
    required: bool,
) -> Result<(), String> {
    let examples: Vec<Value> = serde_json::from_str(examples)
        .map_err(|e| format!("{}: unreadable example table: {e}", M::NAME))?;
    if examples.is_empty() && required {
        return Err(format!(
            "{}: the spec has no example: every hand-finished spec needs at least one",
            M::NAME
        ));
    }
    for ex in &examples {
        let name = ex["name"].as_str().unwrap_or_default();
        check_request::<M>(name, &ex["request"]).map_err(|e| format!("{}: {e}", M::NAME))?;
        check_response::<M>(name, ex["status"].as_u64().unwrap_or(200), &ex["response"])
            .map_err(|e| format!("{}: {e}", M::NAME))?;
    }
    for (row, r) in M::Error::ROWS.iter().enumerate() {
        let found = M::Error::from_documented(r.code, r.description).and_then(|e| e.row());
        if found != Some(row) {
            return Err(format!(
                "{}: error row {row} (`{}`, {:?}) maps to row {found:?}",
                M::NAME,
                r.code,
                r.description
            ));
        }
    }
    Ok(())
}

/// The typed request rebuilds the documented body.
fn check_request<M: Method + DeserializeOwned>(
    name: &str,
    documented: &Value,
) -> Result<(), String> {
    if documented.is_null() {
        return Ok(());
    }
    let typed: M = serde_json::from_value(documented.clone())
        .map_err(|e| format!("example `{name}`: the request does not fit the request type: {e}"))?;
    let rebuilt = serde_json::to_value(&typed).map_err(|e| format!("example `{name}`: {e}"))?;
    same_json(&rebuilt, documented).map_err(|at| format!("example `{name}`: the rebuilt request differs at `{at}`\n  rebuilt:    {rebuilt}\n  documented: {documented}"))
}

/// A success answer decodes into the result type; an error answer maps to a documented row or a
/// system error.
fn check_response<M: Method>(name: &str, status: u64, answer: &Value) -> Result<(), String> {
    if answer.is_null() {
        return Ok(());
    }
    if status < 300 {
        let result = answer.get("result").cloned().unwrap_or_default();
        return crate::wire::fields::decode_result::<M>(result)
            .map(drop)
            .map_err(|e| format!("example `{name}`: the answer does not decode: {e}"));
    }
    // Read as a call reads it: the same classification and the same row matching (REST 2
    // codes, numeric codes, REST 3.0 messages and validation rows, `#FIELD#` patterns).
    let status = u16::try_from(status).unwrap_or(500);
    let answer = classify(status, answer.to_string().as_bytes())
        .map_err(|e| format!("example `{name}`: {e}"))?;
    match answer.into_result::<M::Error>() {
        Err(Error::System(_)) => Ok(()),
        Err(Error::Method(e)) if e.kind.row().is_some() => Ok(()),
        Err(Error::Method(e)) => Err(format!(
            "example `{name}`: error `{}` ({:?}) matches no documented row and no system error",
            e.code, e.description
        )),
        Err(other) => Err(format!("example `{name}`: {other}")),
        Ok(_) => Err(format!("example `{name}`: status {status} but no error")),
    }
}

/// One method's check ([`check_examples`] for its request type), its examples, and whether it
/// must have one.
pub type ExampleRow<'a> = (fn(&str, bool) -> Result<(), String>, &'a str, bool);

/// Runs every row of the table and fails with all the failures at once.
pub fn run_example_table(table: &[ExampleRow<'_>]) {
    let failures: Vec<String> = table
        .iter()
        .filter_map(|(check, examples, required)| check(examples, *required).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} specs fail their examples:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

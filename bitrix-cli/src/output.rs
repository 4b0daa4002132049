//! What `b24` prints: results as JSON (pretty on a terminal, compact in a pipe) and portal errors
//! with the meaning their spec gives.

use std::io::{IsTerminal, Write};

use bitrix_codegen::Method;
use bitrix_rest::Error;
use serde_json::Value;

use crate::failure::Failure;

/// Prints `value` on standard output: indented for a person, one line for a program.
pub fn print_json(value: &Value) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let text = if stdout.is_terminal() {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    .map_err(|e| Failure::api(format!("cannot print the result: {e}")))?;
    let mut out = stdout.lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .or_else(ignore_closed_pipe)
        .map_err(|e| Failure::api(format!("cannot write to standard output: {e}")))
}

/// `b24 call … | head` closes the pipe early; that is not an error of the call.
fn ignore_closed_pipe(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(e)
    }
}

/// The documented meaning of an error code for `method`: the row with this code (and, when rows
/// share a code, this description), its `meaning` or else its description.
pub fn meaning<'m>(method: &'m Method, code: &str, description: &str) -> Option<&'m str> {
    let rows: Vec<_> = method.errors.iter().filter(|e| e.code == code).collect();
    let row = rows
        .iter()
        .find(|e| {
            e.description
                .as_deref()
                .is_some_and(|d| d.trim().eq_ignore_ascii_case(description.trim()))
        })
        .or_else(|| rows.first())?;
    row.meaning.as_deref().or(row.description.as_deref())
}

/// Turns a failed call into what the user reads: for portal errors the code, HTTP status, the
/// portal's text and the meaning from the spec; other errors as the SDK words them (which never
/// holds the webhook code or tokens).
pub fn call_failure<E>(method: Option<&Method>, name: &str, error: &Error<E>) -> Failure
where
    Error<E>: std::fmt::Display,
{
    let (code, description, status) = match error {
        Error::Method(api) => (&api.code, &api.description, api.status),
        Error::System(api) => (&api.code, &api.description, api.status),
        Error::InvalidRequest(e) => {
            return Failure::usage(format!("{name}: request not sent: {e}"))
        }
        other => return Failure::api(format!("{name}: {other}")),
    };
    Failure::api(describe_code(method, name, code, description, Some(status)))
}

/// `CODE (HTTP 400): portal text` and, on the next line, the meaning the spec documents.
pub fn describe_code(
    method: Option<&Method>,
    name: &str,
    code: &str,
    description: &str,
    status: Option<u16>,
) -> String {
    let mut text = format!("{name}: {code}");
    if let Some(status) = status {
        text.push_str(&format!(" (HTTP {status})"));
    }
    if !description.is_empty() {
        text.push_str(&format!(": {description}"));
    }
    let documented = method.and_then(|m| meaning(m, code, description));
    match documented {
        Some(m) => text.push_str(&format!("\n  meaning: {m}")),
        None => {
            if let Some(system) = system_meaning(code) {
                text.push_str(&format!("\n  meaning: {system}"));
            }
        }
    }
    text
}

/// What the errors common to all methods mean (they are not repeated in every spec). An empty
/// code says nothing of its own: the portal's text is the message.
fn system_meaning(code: &str) -> Option<&'static str> {
    bitrix_facts::SystemError::from_code(code)
        .filter(|_| !code.is_empty())
        .map(bitrix_facts::SystemError::meaning)
}

//! Checking parameters against the spec, and turning a problem into the answer a portal gives:
//! the method's documented error code where one fits the parameter, else `INVALID_ARGUMENTS`.

use bitrix_codegen::model::RequestProblem;
use bitrix_codegen::Method;
use serde_json::{Map, Value};

use crate::envelope::ApiError;

/// Documented errors for a missing parameter that the `<PARAM>_ERROR` naming does not find.
const OVERRIDES: &[(&str, &str, &str, &str)] = &[(
    "imbot.command.update",
    "FIELDS",
    "WRONG_REQUEST",
    "Update fields can't be empty",
)];

/// Checks `params` and returns them without unknown keys. Unknown keys (and `start` of list
/// methods, which specs do not list) are ignored, as a portal ignores them, so that a client sending
/// an extra key is not refused.
pub fn check(
    method: &Method,
    params: &Map<String, Value>,
    webhook: bool,
) -> Result<Map<String, Value>, ApiError> {
    let known: Map<String, Value> = params
        .iter()
        .filter(|(k, _)| method.param(k).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match method.check_request(&Value::Object(known.clone()), webhook) {
        Ok(()) => Ok(known),
        Err(problem) => Err(to_error(method, &problem)),
    }
}

/// The answer for a parameter problem.
pub fn to_error(method: &Method, problem: &RequestProblem) -> ApiError {
    match problem {
        RequestProblem::Missing(param) => documented(method, param, true).unwrap_or_else(|| {
            ApiError::new(
                400,
                "INVALID_ARGUMENTS",
                format!("Required parameter `{param}` is missing"),
            )
        }),
        RequestProblem::WrongType(text) => {
            let path = text
                .strip_prefix('`')
                .and_then(|t| t.split('`').next())
                .unwrap_or("");
            let top = path.split(['.', '[']).next().unwrap_or("");
            let leaf = path
                .rsplit('.')
                .next()
                .unwrap_or("")
                .split('[')
                .next()
                .unwrap_or("");
            documented(method, leaf, false)
                .or_else(|| documented(method, top, false))
                .unwrap_or_else(|| ApiError::new(400, "INVALID_ARGUMENTS", text.clone()))
        }
        other => ApiError::new(400, "INVALID_ARGUMENTS", other.to_string()),
    }
}

/// The documented error row for a problem with `param`: `<PARAM>_ERROR` or `<PARAM>_EMPTY`,
/// preferring the "isn't specified"/"empty" row for a missing value and "Wrong" for a bad one.
fn documented(method: &Method, param: &str, missing: bool) -> Option<ApiError> {
    if param.is_empty() {
        return None;
    }
    if missing {
        if let Some((_, _, code, desc)) = OVERRIDES
            .iter()
            .find(|(m, p, _, _)| *m == method.name && *p == param)
        {
            return Some(spec_error(method, code, Some(desc)));
        }
        // A webhook call without `CLIENT_ID` is "Client ID not specified" where the spec says so.
        if param == "CLIENT_ID" && method.errors.iter().any(|e| e.code == "ACCESS_DENIED") {
            return Some(spec_error(
                method,
                "ACCESS_DENIED",
                Some("Client ID not specified"),
            ));
        }
    }
    let upper = param.to_ascii_uppercase();
    let codes = [format!("{upper}_ERROR"), format!("{upper}_EMPTY")];
    let rows: Vec<_> = method
        .errors
        .iter()
        .filter(|e| codes.contains(&e.code))
        .collect();
    let first = rows.first()?;
    let preferred = rows.iter().find(|e| {
        let d = e.description.as_deref().unwrap_or("");
        if missing {
            d.contains("specified") || d.contains("empty")
        } else {
            d.contains("Wrong")
        }
    });
    let row = preferred.unwrap_or(first);
    Some(ApiError::new(
        row.status,
        &row.code,
        row.description.clone().unwrap_or_default(),
    ))
}

/// The documented row of `code` (the one whose description contains `hint`, when given). When the
/// spec lacks the row the error is still sent, with `hint` as its description.
pub fn spec_error(method: &Method, code: &str, hint: Option<&str>) -> ApiError {
    let rows: Vec<_> = method.errors.iter().filter(|e| e.code == code).collect();
    let row = match hint {
        Some(h) => rows
            .iter()
            .find(|e| e.description.as_deref().is_some_and(|d| d.contains(h)))
            .or(rows.first()),
        None => rows.first(),
    };
    match row {
        Some(e) => ApiError::new(
            e.status,
            code,
            e.description
                .clone()
                .unwrap_or_else(|| hint.unwrap_or("").into()),
        ),
        None => ApiError::new(400, code, hint.unwrap_or("")),
    }
}

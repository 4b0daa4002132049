//! What can be wrong with a call, as data, and the documented answer for it. The spec's error
//! rows are found by their code and, where rows share a code, by their place or variant name;
//! descriptions are only ever sent, never searched.

use bitrix_codegen::model::{ErrorDef, RequestProblem, TypeMismatch};
use bitrix_codegen::Method;

use crate::envelope::ApiError;

/// A problem with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A required parameter is absent (its path).
    Missing(String),
    /// A value does not fit its type.
    WrongType(TypeMismatch),
    /// The body is not an object of parameters.
    NotAnObject,
    /// The record a stateful get, update or delete names does not exist (the ID as sent).
    NotFound(String),
    /// A named add gives a name a record already has (the name).
    Taken(String),
    /// A list's `filter` names a field the entity does not have.
    FilterField(String),
    /// A list's `filter` value does not fit its field.
    FilterValue(String),
    /// A REST 3.0 filter condition names an operator that does not exist.
    FilterOperator(String),
    /// A list's `order` names a field the entity does not have.
    OrderField(String),
    /// A list's `order` direction is not ASC or DESC.
    OrderDirection(String),
    /// A list parameter (`filter`, `order`, `select`) has the wrong shape.
    Malformed(&'static str),
}

impl From<RequestProblem> for Problem {
    fn from(p: RequestProblem) -> Self {
        match p {
            RequestProblem::Missing(path) => Problem::Missing(path),
            RequestProblem::WrongType(m) => Problem::WrongType(m),
            RequestProblem::NotAnObject | RequestProblem::Unknown(_) => Problem::NotAnObject,
        }
    }
}

/// The answer for `problem` in `method`.
pub fn answer(method: &Method, problem: &Problem) -> ApiError {
    match problem {
        // A parameter with its own rows (`CODE` -> `CODE_ERROR`, `DIALOG_ID` -> `DIALOG_ID_EMPTY`)
        // answers the first of them: the official tables list "not given" before "wrong".
        Problem::Missing(path) => param_rows(method, leaf(path))
            .or_else(|| param_rows(method, top(path)))
            .and_then(|rows| rows.first().copied())
            .map(from_row)
            .unwrap_or_else(|| missing(method, path)),
        // ... and a wrong value answers the last.
        Problem::WrongType(m) => param_rows(method, m.leaf())
            .or_else(|| param_rows(method, m.param()))
            .and_then(|rows| rows.last().copied())
            .map(from_row)
            .unwrap_or_else(|| ApiError::new(400, "INVALID_ARGUMENTS", m.to_string())),
        Problem::NotAnObject => ApiError::new(
            400,
            "INVALID_ARGUMENTS",
            "The parameters must be an object",
        ),
        Problem::NotFound(id) => not_found(method, id),
        Problem::Taken(name) => taken(method, name),
        // The list rows share one code (`INVALID_ARG_VALUE`); specs tell them apart by these
        // variant names (crm.item.list), which name the problem, so the row is found by them.
        Problem::FilterField(f) => by_variant(method, "FilterFieldNotAllowed").unwrap_or_else(|| {
            generic_arg(format!("Invalid filter: field '{f}' is not allowed in filter"))
        }),
        Problem::FilterValue(f) => by_variant(method, "FilterValueInvalid")
            .unwrap_or_else(|| generic_arg(format!("Invalid filter: field '{f}' has invalid value"))),
        Problem::OrderField(f) => by_variant(method, "OrderFieldNotAllowed").unwrap_or_else(|| {
            generic_arg(format!("Invalid order: field '{f}' is not allowed in order"))
        }),
        Problem::OrderDirection(f) => by_variant(method, "OrderDirectionInvalid").unwrap_or_else(|| {
            generic_arg(format!(
                "Invalid order: allowed sort directions are ASC, DESC. But got another for field '{f}'"
            ))
        }),
        Problem::FilterOperator(op) => generic_arg(format!("Invalid filter: unknown operator '{op}'")),
        Problem::Malformed(param) => generic_arg(format!("Invalid {param}")),
    }
}

/// A missing parameter without a row of its own. A method whose names are exact is an engine
/// controller, whose argument binder answers `ERROR_ARGUMENT` naming the parameter in braces
/// (fast_bitrix24's suite, recorded on a portal: `disk.file.get` with `ID` for `id`).
fn missing(method: &Method, path: &str) -> ApiError {
    if method.exact_names {
        return ApiError::new(
            400,
            "ERROR_ARGUMENT",
            format!("Could not find value for parameter {{{path}}}"),
        );
    }
    ApiError::new(
        400,
        "INVALID_ARGUMENTS",
        format!("Required parameter `{path}` is missing"),
    )
}

/// The REST 3.0 code of a request that fails validation.
const V3_VALIDATION: &str = "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION";

/// The REST 3.0 answer for `problem` (rest-v3.md, *Structure of an unsuccessful response*):
/// parameter problems are validation errors naming the field; a missing record is
/// `ENTITYNOTFOUNDEXCEPTION` unless the spec documents its own `not_found` row.
pub fn answer_v3(method: &Method, problem: &Problem) -> ApiError {
    let invalid = |field: &str, message: String| {
        ApiError::new(400, V3_VALIDATION, "Error validating request object")
            .with_validation(field, message)
    };
    match problem {
        Problem::Missing(path) => {
            invalid(path, format!("Required field `{path}` is not specified"))
        }
        Problem::WrongType(m) => invalid(&m.path, m.to_string()),
        Problem::NotAnObject => ApiError::new(
            400,
            "BITRIX_REST_V3_EXCEPTION_INVALIDJSONEXCEPTION",
            "The request body must be a JSON object",
        ),
        Problem::NotFound(id) => match method.state.as_ref().and_then(|s| s.not_found.as_ref()) {
            Some(_) => not_found(method, id),
            None => ApiError::new(
                400,
                "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
                format!("Record with ID = `{id}` not found"),
            ),
        },
        Problem::Taken(name) => taken(method, name),
        Problem::FilterField(f) | Problem::OrderField(f) => ApiError::new(
            400,
            "BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION",
            format!("Unknown field `{f}`"),
        ),
        Problem::FilterOperator(op) => ApiError::new(
            400,
            "BITRIX_REST_V3_EXCEPTION_UNKNOWNFILTEROPERATOREXCEPTION",
            format!("Unknown filter operator `{op}`"),
        ),
        Problem::FilterValue(f) => invalid(f, format!("The value of `{f}` does not fit its type")),
        Problem::OrderDirection(f) => {
            invalid(f, format!("The direction of `{f}` must be ASC or DESC"))
        }
        Problem::Malformed(param) => invalid(param, format!("`{param}` has the wrong shape")),
    }
}

/// The row answering a missing record: the `[state] not_found` code's row. Where several rows
/// share that code and the method has partition parameters, the first row answers an unknown
/// partition (the portal checks the type before the item), so the missing record is the second.
fn not_found(method: &Method, id: &str) -> ApiError {
    let Some(code) = method.state.as_ref().and_then(|st| st.not_found.as_ref()) else {
        return generic_not_found(id);
    };
    let partitioned = method
        .state
        .as_ref()
        .is_some_and(|st| !st.partition.is_empty());
    let rows: Vec<&ErrorDef> = method.errors.iter().filter(|e| &e.code == code).collect();
    let row = if rows.len() > 1 && partitioned {
        rows.get(1)
    } else {
        rows.first()
    };
    row.map(|r| from_row(r))
        .unwrap_or_else(|| generic_not_found(id))
}

/// The row answering a named add whose name is taken: the `[state] taken` row (by variant name,
/// else by code), else a
/// generic argument error naming the name.
fn taken(method: &Method, name: &str) -> ApiError {
    method
        .state
        .as_ref()
        .and_then(|st| st.taken.as_ref())
        .and_then(|t| {
            let errors = &method.errors;
            // A row's variant name tells it apart where rows share a code (`ERROR_CORE`).
            errors
                .iter()
                .find(|e| &e.variant == t)
                .or_else(|| errors.iter().find(|e| &e.code == t))
        })
        .map(from_row)
        .unwrap_or_else(|| ApiError::new(400, "ERROR_ARGUMENT", format!("`{name}` already exists")))
}

/// Bitrix24's answer for a missing record when the method documents none: an EMPTY error code
/// (recorded crm answers: `{"error": "", "error_description": "Not found"}`, HTTP 400), and "ID is
/// not defined or invalid." for an ID that is no positive whole number.
fn generic_not_found(id: &str) -> ApiError {
    let valid = id.trim().parse::<u64>().is_ok_and(|n| n > 0);
    let description = if valid {
        "Not found"
    } else {
        "ID is not defined or invalid."
    };
    ApiError::new(400, "", description)
}

/// The generic answer for a bad list argument.
fn generic_arg(description: String) -> ApiError {
    ApiError::new(400, "INVALID_ARG_VALUE", description)
}

/// The row whose Rust variant is `variant`.
pub fn by_variant(method: &Method, variant: &str) -> Option<ApiError> {
    method
        .errors
        .iter()
        .find(|e| e.variant == variant)
        .map(from_row)
}

/// The row of `code` (the one named `variant` when rows share the code). A row the spec lacks
/// is still sent, with `fallback` status and description, so behaviour does not depend on how
/// complete a spec is.
pub fn row(method: &Method, code: &str, variant: Option<&str>, fallback: (u16, &str)) -> ApiError {
    method
        .errors
        .iter()
        .filter(|e| e.code == code)
        .find(|e| variant.is_none_or(|v| e.variant == v))
        .map(from_row)
        .unwrap_or_else(|| ApiError::new(fallback.0, code, fallback.1))
}

fn from_row(row: &ErrorDef) -> ApiError {
    ApiError::new(
        row.status,
        &row.code,
        row.description.clone().unwrap_or_default(),
    )
}

/// The rows coded `<PARAM>_ERROR` or `<PARAM>_EMPTY`, when there are any.
fn param_rows<'a>(method: &'a Method, param: &str) -> Option<Vec<&'a ErrorDef>> {
    if param.is_empty() {
        return None;
    }
    let upper = param.to_ascii_uppercase();
    let codes = [format!("{upper}_ERROR"), format!("{upper}_EMPTY")];
    let rows: Vec<&ErrorDef> = method
        .errors
        .iter()
        .filter(|e| codes.contains(&e.code))
        .collect();
    (!rows.is_empty()).then_some(rows)
}

fn top(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or("")
}

fn leaf(path: &str) -> &str {
    path.rsplit('.')
        .next()
        .unwrap_or("")
        .split('[')
        .next()
        .unwrap_or("")
}

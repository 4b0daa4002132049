//! Reading an answer: success envelope or error, whatever the HTTP status says. Never panics on
//! what the network sends; anything unreadable keeps its raw body.

use serde_json::Value;

use crate::envelope::{Response, Time};
use crate::error::{
    ApiError, Error, FieldProblem, MethodError, RawError, SystemError, UnexpectedResponse,
    UnknownCode,
};

/// An answer before the method's types are applied.
#[derive(Debug)]
pub(crate) enum Answer {
    /// `result` and its envelope.
    Success(Response<Value>),
    /// `error` and `error_description` (REST 2), or `error.code`, `error.message` and
    /// `error.validation` (REST 3.0).
    Failure {
        code: String,
        description: String,
        status: u16,
        validation: Vec<FieldProblem>,
    },
}

impl Answer {
    /// The envelope of a success, or a failure typed as the method `E`'s error.
    pub(crate) fn into_result<E: MethodError>(self) -> Result<Response<Value>, Error<E>> {
        match self {
            Answer::Success(envelope) => Ok(envelope),
            Answer::Failure {
                code,
                description,
                status,
                validation,
            } => Err(typed_failure(code, description, status, validation)),
        }
    }
}

/// Classifies a raw answer.
pub(crate) fn classify(status: u16, body: &[u8]) -> Result<Answer, UnexpectedResponse> {
    let unexpected = |reason: &str| UnexpectedResponse::new(status, reason, body);
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Err(unexpected(&format!("the body is not JSON ({e})"))),
    };
    let Value::Object(mut map) = value else {
        return Err(unexpected("the body is not a JSON object"));
    };
    if let Some(failure) = v3_failure(&map, status) {
        return Ok(failure);
    }
    // Some modules (`catalog.*`) send the code as a number, e.g. `200040300000`. An empty code
    // with a text (`{"error": "", "error_description": "Not found"}`, what crm.*.get answers for
    // a missing ID) or with an error status is an error all the same; an empty `error` beside a
    // `result` on a success is not.
    let code = match map.get("error") {
        Some(Value::String(c)) if !c.trim().is_empty() => Some(c.trim().to_string()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(_) | Value::Null) => {
            let has_text = matches!(map.get("error_description"), Some(Value::String(d)) if !d.trim().is_empty());
            let success = (200..300).contains(&status) && map.contains_key("result");
            (!success && (has_text || !(200..300).contains(&status))).then(String::new)
        }
        _ => None,
    };
    if let Some(code) = code {
        let description = match map.get("error_description") {
            Some(Value::String(d)) => d.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        return Ok(Answer::Failure {
            code,
            description,
            status,
            validation: Vec::new(),
        });
    }
    if !(200..300).contains(&status) {
        return Err(unexpected("an HTTP error status without an error code"));
    }
    let Some(result) = map.remove("result") else {
        return Err(unexpected("the answer has neither `result` nor `error`"));
    };
    let time = map.remove("time").and_then(Time::from_value);
    let count =
        |v: Option<Value>| v.and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()));
    Ok(Answer::Success(Response {
        result,
        time,
        next: count(map.remove("next")),
        total: count(map.remove("total")),
        replayed: false,
    }))
}

/// A REST 3.0 error: `{"error": {"code", "message", "validation": [{"field", "message"}]}}`.
fn v3_failure(map: &serde_json::Map<String, Value>, status: u16) -> Option<Answer> {
    let error = map.get("error")?.as_object()?;
    let code = error.get("code")?.as_str()?.trim();
    if code.is_empty() {
        return None;
    }
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let validation = match error.get("validation") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| FieldProblem {
                field: item
                    .get("field")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                message: text(item.get("message")),
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(Answer::Failure {
        code: code.to_string(),
        description: text(error.get("message")),
        status,
        validation,
    })
}

/// Classifies and types a raw answer as `call_raw` does (see `__private::read_answer`).
pub(crate) fn read(status: u16, body: &[u8]) -> Result<Response<Value>, Error<RawError>> {
    classify(status, body)
        .map_err(Error::UnexpectedResponse)?
        .into_result()
}

/// Types an error answer: the method's documented error first, then a system error, else `Unknown`.
pub(crate) fn typed_failure<E: MethodError>(
    code: String,
    description: String,
    status: u16,
    validation: Vec<FieldProblem>,
) -> Error<E> {
    // REST 3.0 rows that share a code are told apart by a validation message, not the message.
    let documented = E::from_documented(&code, &description).or_else(|| {
        validation
            .iter()
            .find_map(|v| E::from_documented(&code, &v.message))
    });
    if let Some(kind) = documented {
        return Error::Method(ApiError {
            kind,
            code,
            description,
            status,
            validation,
        });
    }
    if let Some(kind) = SystemError::from_code(&code) {
        return Error::System(ApiError {
            kind,
            code,
            description,
            status,
            validation,
        });
    }
    let kind = E::unknown(UnknownCode {
        code: code.clone(),
        description: description.clone(),
    });
    Error::Method(ApiError {
        kind,
        code,
        description,
        status,
        validation,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_error_is_not_an_error_code() {
        match classify(
            400,
            br#"{"error":200040300000,"error_description":"no access"}"#,
        ) {
            Ok(Answer::Failure { code, .. }) => assert_eq!(code, "200040300000"),
            other => panic!("{other:?}"),
        }
        let a = classify(200, br#"{"error":"","result":true}"#).unwrap();
        assert!(matches!(a, Answer::Success(r) if r.result == Value::Bool(true)));
        // An empty code is still an error when the status or a text says so.
        for (status, body) in [
            (400, &br#"{"error":"","error_description":"Not found"}"#[..]),
            (500, br#"{"error":"","error_description":""}"#),
            (200, br#"{"error":null,"error_description":"Not found"}"#),
        ] {
            match classify(status, body) {
                Ok(Answer::Failure {
                    code, status: s, ..
                }) => assert_eq!((code.as_str(), s), ("", status)),
                other => panic!("{other:?}"),
            }
        }
        // No `error` key and an error status: nothing to type.
        assert!(classify(502, br#"{"message":"bad gateway"}"#).is_err());
    }

    #[test]
    fn garbage_keeps_the_body() {
        let e = classify(502, b"<html>Bad gateway</html>").unwrap_err();
        assert_eq!(e.body, "<html>Bad gateway</html>");
        assert!(classify(200, b"[1,2]").is_err());
        assert!(classify(200, b"").is_err());
        assert!(classify(200, &[0xff, 0xfe]).is_err());
    }

    #[test]
    fn v3_errors_keep_their_validation_rows() {
        let body = br#"{"error":{"code":"BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION","message":"Error validating request object","validation":[{"message":"Required field `id` is not specified","field":"id"},{"message":"x"}]}}"#;
        let Answer::Failure {
            code,
            description,
            status,
            validation,
        } = classify(400, body).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            code,
            "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION"
        );
        assert_eq!(
            (description.as_str(), status),
            ("Error validating request object", 400)
        );
        assert_eq!(validation.len(), 2);
        assert_eq!(validation[0].field.as_deref(), Some("id"));
        assert_eq!(validation[1].field, None);
    }

    #[test]
    fn counts_accept_strings() {
        let Answer::Success(r) =
            classify(200, br#"{"result":[],"next":"50","total":120}"#).unwrap()
        else {
            panic!()
        };
        assert_eq!((r.next, r.total), (Some(50), Some(120)));
    }
}

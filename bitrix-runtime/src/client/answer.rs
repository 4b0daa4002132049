//! Reading an answer: success envelope or error, whatever the HTTP status says. Never panics on
//! what the network sends; anything unreadable keeps its raw body.

use serde_json::Value;

use crate::envelope::{Response, Time};
use crate::error::{
    ApiError, Error, MethodError, RawError, SystemError, UnexpectedResponse, UnknownCode,
};

/// An answer before the method's types are applied.
#[derive(Debug)]
pub(crate) enum Answer {
    /// `result` and its envelope.
    Success(Response<Value>),
    /// `error` and `error_description`.
    Failure {
        code: String,
        description: String,
        status: u16,
    },
}

/// Classifies a raw answer.
pub(crate) fn classify(status: u16, body: &[u8]) -> Result<Answer, UnexpectedResponse> {
    let unexpected = |reason: &str| UnexpectedResponse {
        status,
        reason: reason.to_string(),
        body: String::from_utf8_lossy(body).into_owned(),
    };
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => return Err(unexpected(&format!("the body is not JSON ({e})"))),
    };
    let Value::Object(mut map) = value else {
        return Err(unexpected("the body is not a JSON object"));
    };
    // An empty or non-string `error` is no error code: read the answer as if it were absent.
    let code = match map.get("error") {
        Some(Value::String(c)) if !c.trim().is_empty() => Some(c.clone()),
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
        });
    }
    if !(200..300).contains(&status) {
        return Err(unexpected("an HTTP error status without an error code"));
    }
    let Some(result) = map.remove("result") else {
        return Err(unexpected("the answer has neither `result` nor `error`"));
    };
    let time = map
        .remove("time")
        .and_then(|t| serde_json::from_value::<Time>(t).ok());
    let count =
        |v: Option<Value>| v.and_then(|v| v.as_u64().or_else(|| v.as_str()?.trim().parse().ok()));
    Ok(Answer::Success(Response {
        result,
        time,
        next: count(map.remove("next")),
        total: count(map.remove("total")),
    }))
}

/// Classifies and types a raw answer as `call_raw` does (see `__private::read_answer`).
pub(crate) fn read(status: u16, body: &[u8]) -> Result<Response<Value>, Error<RawError>> {
    match classify(status, body).map_err(Error::UnexpectedResponse)? {
        Answer::Success(envelope) => Ok(envelope),
        Answer::Failure {
            code,
            description,
            status,
        } => Err(typed_failure(code, description, status)),
    }
}

/// Types an error answer: the method's documented error first, then a system error, else `Unknown`.
pub(crate) fn typed_failure<E: MethodError>(
    code: String,
    description: String,
    status: u16,
) -> Error<E> {
    if let Some(kind) = E::from_documented(&code, &description) {
        return Error::Method(ApiError {
            kind,
            code,
            description,
            status,
        });
    }
    if let Some(kind) = SystemError::from_code(&code) {
        return Error::System(ApiError {
            kind,
            code,
            description,
            status,
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
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_error_is_not_an_error_code() {
        let a = classify(200, br#"{"error":"","result":true}"#).unwrap();
        assert!(matches!(a, Answer::Success(r) if r.result == Value::Bool(true)));
        let e = classify(500, br#"{"error":"","error_description":""}"#).unwrap_err();
        assert_eq!(e.status, 500);
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
    fn counts_accept_strings() {
        let Answer::Success(r) =
            classify(200, br#"{"result":[],"next":"50","total":120}"#).unwrap()
        else {
            panic!()
        };
        assert_eq!((r.next, r.total), (Some(50), Some(120)));
    }
}

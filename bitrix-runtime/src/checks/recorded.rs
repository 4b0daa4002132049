//! The check behind the recorded-answers test: a whole HTTP answer that a live portal sent is
//! read exactly as a call reads it (classification, envelope, result type, error rows), so the
//! test proves what an app would get, not what a separate decoder thinks.

use crate::batch::ChunkAnswer;
use crate::error::{Error, MethodError};
use crate::method::Method;
use crate::transport::answer::classify;

/// What a recorded answer became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// `result` decoded into the method's result type.
    Success,
    /// A documented error row of the method (its code as sent).
    MethodError(String),
    /// A system error (its code as sent; empty for an error without a code).
    SystemError(String),
}

/// One method's check: `(status, body)` of a REST 2 or REST 3.0 answer.
pub type AnswerCheck = fn(u16, &[u8]) -> Result<Outcome, String>;

/// One method's check of a `batch` answer whose commands all called it: what each command
/// became, by the key it was sent under.
pub type BatchCheck = fn(&[u8]) -> Result<Vec<(String, Outcome)>, String>;

/// A row of the generated table: method name, REST version, and its two checks.
pub type AnswerRow = (&'static str, u8, AnswerCheck, BatchCheck);

/// Reads an answer of method `M` as `Client::call` does. An error code the method does not
/// document and that is no system error fails: it would reach the app as `Unknown`.
pub fn check_answer<M: Method>(status: u16, body: &[u8]) -> Result<Outcome, String> {
    let answer = classify(status, body).map_err(|e| e.to_string())?;
    outcome::<M>(answer.into_result::<M::Error>().and_then(|envelope| {
        crate::wire::fields::decode_result::<M>(envelope.result).map_err(|e| {
            Error::UnexpectedResponse(crate::error::UnexpectedResponse::new(
                status,
                format!("`result` does not fit: {e}"),
                b"",
            ))
        })
    }))
}

/// Reads a `batch` answer whose commands called `M` as `Client::batch` does: the envelope in
/// all its shapes (lists for numeric keys, `[]` for empty maps), then each command typed.
pub fn check_batch_answer<M: Method>(body: &[u8]) -> Result<Vec<(String, Outcome)>, String> {
    let answer = classify(200, body).map_err(|e| e.to_string())?;
    let envelope = answer
        .into_result::<crate::error::RawError>()
        .map_err(|e| format!("the batch failed as a whole: {e}"))?;
    let chunk = ChunkAnswer::read(envelope.result).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for key in chunk.keys() {
        let Some(entry) = chunk.entry(&key) else {
            continue;
        };
        let typed = entry.typed::<M::Error>().and_then(|envelope| {
            crate::wire::fields::decode_result::<M>(envelope.result).map_err(|e| {
                Error::UnexpectedResponse(crate::error::UnexpectedResponse::new(
                    200,
                    format!("`result[{key}]` does not fit: {e}"),
                    b"",
                ))
            })
        });
        out.push((key, outcome::<M>(typed)?));
    }
    Ok(out)
}

fn outcome<M: Method>(typed: Result<M::Output, Error<M::Error>>) -> Result<Outcome, String> {
    match typed {
        Ok(_) => Ok(Outcome::Success),
        Err(Error::Method(e)) if e.kind.row().is_some() => Ok(Outcome::MethodError(e.code)),
        Err(Error::System(e)) => Ok(Outcome::SystemError(e.code)),
        Err(Error::Method(e)) => Err(format!(
            "error `{}` ({:?}, HTTP {}) matches no documented row of {} and no system error",
            e.code,
            e.description,
            e.status,
            M::NAME
        )),
        Err(other) => Err(other.to_string()),
    }
}

/// The row of `method` (REST version `rest`) in a generated table.
pub fn find_row<'a>(table: &'a [AnswerRow], method: &str, rest: u8) -> Option<&'a AnswerRow> {
    // Method names are matched as portals match them: case aside.
    table
        .iter()
        .find(|r| r.1 == rest && r.0.eq_ignore_ascii_case(method))
}

//! The answer envelope: `result` with `time`, and `next`/`total` on list methods.

use serde::{Deserialize, Serialize};

use crate::wire::lenient::lenient;

/// A successful answer: the typed `result` and what Bitrix24 sends around it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    /// The method's result.
    pub result: T,
    /// Timing of the call, including the operating-time budget.
    pub time: Option<Time>,
    /// For list methods: the `start` of the next page, absent on the last page.
    pub next: Option<u64>,
    /// For list methods: how many items match in all (absent when `start=-1`).
    pub total: Option<u64>,
    /// REST 3.0: the portal did not run the call again but answered a repeated write with the
    /// stored answer of the first (`Idempotent-Replayed: true`).
    pub replayed: bool,
}

impl<T> Response<T> {
    /// Just the result.
    pub fn into_result(self) -> T {
        self.result
    }

    /// The same envelope around another result.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            result: f(self.result),
            time: self.time,
            next: self.next,
            total: self.total,
            replayed: self.replayed,
        }
    }
}

/// The `time` object of an answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Time {
    /// Unix time the portal started the call (seconds, fractional).
    #[serde(deserialize_with = "lenient", default)]
    pub start: f64,
    /// Unix time it finished.
    #[serde(deserialize_with = "lenient", default)]
    pub finish: f64,
    /// `finish - start`, in seconds.
    #[serde(deserialize_with = "lenient", default)]
    pub duration: f64,
    /// Seconds spent processing the data.
    #[serde(deserialize_with = "lenient", default)]
    pub processing: f64,
    /// Start as ISO 8601 text with the portal's offset.
    #[serde(default)]
    pub date_start: String,
    /// Finish as ISO 8601 text.
    #[serde(default)]
    pub date_finish: String,
    /// Seconds of the method's operating-time budget used in the last ten minutes.
    #[serde(
        deserialize_with = "lenient",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operating: Option<f64>,
    /// Unix time when the oldest minute of `operating` stops counting.
    #[serde(
        deserialize_with = "lenient",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub operating_reset_at: Option<i64>,
}

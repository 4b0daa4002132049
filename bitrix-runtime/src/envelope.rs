//! The answer envelope: `result` with `time`, and `next`/`total` on list methods.

use serde::{Deserialize, Serialize};

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

/// The `time` object of an answer. Portals send it in several shapes (`start` an integer or a
/// fraction, numbers as text, `operating` missing on older portals, dates with or without a
/// zone): every field is read on its own, and one it cannot read is left at its default rather
/// than losing the others.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Time {
    /// Unix time the portal started the call (seconds, fractional).
    pub start: f64,
    /// Unix time it finished.
    pub finish: f64,
    /// `finish - start`, in seconds.
    pub duration: f64,
    /// Seconds spent processing the data.
    pub processing: f64,
    /// Start as ISO 8601 text with the portal's offset.
    pub date_start: String,
    /// Finish as ISO 8601 text.
    pub date_finish: String,
    /// Seconds of the method's operating-time budget used in the last ten minutes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating: Option<f64>,
    /// Unix time when the oldest minute of `operating` stops counting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_reset_at: Option<i64>,
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        let map = match Value::deserialize(d)? {
            Value::Object(map) => map,
            // PHP's empty object.
            Value::Array(a) if a.is_empty() => serde_json::Map::new(),
            _ => return Err(serde::de::Error::custom("`time` is not an object")),
        };
        let number = |key: &str| -> Option<f64> {
            match map.get(key)? {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
            .filter(|v: &f64| v.is_finite())
        };
        let text = |key: &str| match map.get(key) {
            Some(Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        Ok(Time {
            start: number("start").unwrap_or_default(),
            finish: number("finish").unwrap_or_default(),
            duration: number("duration").unwrap_or_default(),
            processing: number("processing").unwrap_or_default(),
            date_start: text("date_start"),
            date_finish: text("date_finish"),
            operating: number("operating"),
            // Seconds; a fraction is cut, as the portal counts whole seconds.
            operating_reset_at: number("operating_reset_at")
                .filter(|v| v.abs() < 1.0e15)
                .map(|v| v as i64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Time;
    use serde_json::json;

    #[test]
    fn every_time_shape_reads() {
        let t: Time = serde_json::from_value(json!({"start": 1725020945, "finish": "1725020946.5",
            "duration": 1.5, "processing": null, "date_start": "2024-08-30T14:29:05+02:00",
            "operating": 0, "operating_reset_at": 1725021546.7}))
        .unwrap();
        assert_eq!(
            (t.start, t.finish, t.processing),
            (1725020945.0, 1725020946.5, 0.0)
        );
        assert_eq!(
            (t.operating, t.operating_reset_at),
            (Some(0.0), Some(1725021546))
        );
        let old: Time =
            serde_json::from_value(json!({"start": 1.5, "finish": 2.5, "duration": 1})).unwrap();
        assert_eq!(
            (
                old.operating,
                old.operating_reset_at,
                old.date_start.as_str()
            ),
            (None, None, "")
        );
        let empty: Time = serde_json::from_value(json!([])).unwrap();
        assert_eq!(empty, Time::default());
        assert!(serde_json::from_value::<Time>(json!("x")).is_err());
    }
}

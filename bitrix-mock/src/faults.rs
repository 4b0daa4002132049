//! Faults: queued for the next REST calls, or drawn per method with a seeded generator, to
//! exercise a client's error handling.

use bitrix_facts::SystemError;
use std::time::Duration;

/// How an injected call fails.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 500 `INTERNAL_SERVER_ERROR`.
    Status500,
    /// HTTP 503 `QUERY_LIMIT_EXCEEDED`, as the portal sends when overloaded.
    Status503,
    /// HTTP 200 with an HTML body instead of JSON (a proxy's page).
    NotJson,
    /// The normal answer, after waiting this long in real time.
    Slow(Duration),
    /// The connection is closed without any HTTP answer, before the call runs.
    DropConnection,
    /// The call runs (a write is done) and then the connection is closed without an answer: what
    /// a client sees when the network fails after the portal did the work.
    DropAfterRunning,
    /// This exact status and body (sent as JSON content), to test how a client reads answers the
    /// emulator would not produce by itself, e.g. every documented error row of a method.
    Respond {
        /// HTTP status.
        status: u16,
        /// The body, sent as is.
        body: String,
    },
}

/// A fault a method suffers at random, reproducibly: with the same seed and the same calls, the
/// same calls fail. Set with [`Config::fault`](crate::Config::fault), on the command line with
/// `--fault 'crm.item.add:rate=0.5:status=503'`, or at run time with
/// [`Emulator::set_fault`](crate::Emulator::set_fault).
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// The method it hits (`*` for every method).
    pub method: String,
    /// The share of calls it hits, 0 to 1.
    pub rate: f64,
    /// The HTTP status answered instead of the method's own answer; `None` answers normally
    /// (after the delay).
    pub status: Option<u16>,
    /// The `error` code sent with `status` (default: `QUERY_LIMIT_EXCEEDED` for 503,
    /// `INTERNAL_SERVER_ERROR` otherwise).
    pub code: Option<String>,
    /// Real time to wait before answering.
    pub delay: Duration,
}

impl FaultRule {
    /// A rule hitting every call of `method` with nothing set yet: add a status or a delay.
    pub fn new(method: &str) -> Self {
        FaultRule {
            method: method.to_string(),
            rate: 1.0,
            status: None,
            code: None,
            delay: Duration::ZERO,
        }
    }

    /// The share of calls it hits (clamped to 0..=1).
    #[must_use]
    pub fn rate(mut self, rate: f64) -> Self {
        self.rate = if rate.is_finite() {
            rate.clamp(0.0, 1.0)
        } else {
            0.0
        };
        self
    }

    /// Answers this HTTP status.
    #[must_use]
    pub fn status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Sends this `error` code with the status.
    #[must_use]
    pub fn code(mut self, code: &str) -> Self {
        self.code = Some(code.to_string());
        self
    }

    /// Waits this long before answering.
    #[must_use]
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Parses `METHOD:key=value:...` with keys `rate`, `status`, `code` and `delay` (seconds, or
    /// with an `ms` suffix).
    pub fn parse(text: &str) -> Result<FaultRule, String> {
        let mut parts = text.split(':');
        let method = parts.next().unwrap_or("").trim();
        if method.is_empty() {
            return Err(format!("`{text}` names no method"));
        }
        let mut rule = FaultRule::new(method);
        for part in parts {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("`{part}` is not key=value"))?;
            let bad = || format!("bad {key} `{value}`");
            rule = match key.trim() {
                "rate" => rule.rate(value.parse::<f64>().map_err(|_| bad())?),
                "status" => {
                    let s = value.parse::<u16>().map_err(|_| bad())?;
                    if !(100..=599).contains(&s) {
                        return Err(bad());
                    }
                    rule.status(s)
                }
                "code" => rule.code(value),
                "delay" => {
                    let secs = match value.strip_suffix("ms") {
                        Some(ms) => ms.parse::<f64>().map(|m| m / 1000.0),
                        None => value.trim_end_matches('s').parse::<f64>(),
                    }
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 3600.0)
                    .ok_or_else(bad)?;
                    rule.delay(Duration::from_secs_f64(secs))
                }
                other => return Err(format!("unknown fault key `{other}`")),
            };
        }
        Ok(rule)
    }

    /// Whether the rule is about `method`.
    pub(crate) fn covers(&self, method: &str) -> bool {
        self.method == "*" || self.method == method
    }

    /// The `error` code sent.
    pub(crate) fn error_code(&self) -> String {
        match (&self.code, self.status) {
            (Some(c), _) => c.clone(),
            (None, Some(503)) => SystemError::QueryLimitExceeded.code().into(),
            _ => SystemError::InternalServerError.code().into(),
        }
    }
}

/// A small seeded generator (SplitMix64): reproducible draws without a random-number crate.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// A draw in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_command_line_form() {
        let r = FaultRule::parse("crm.item.add:rate=0.5:status=503:delay=20ms").unwrap();
        assert_eq!(r.method, "crm.item.add");
        assert_eq!(r.rate, 0.5);
        assert_eq!(r.status, Some(503));
        assert_eq!(r.error_code(), "QUERY_LIMIT_EXCEEDED");
        assert_eq!(r.delay, Duration::from_millis(20));
        for bad in [
            "",
            ":rate=1",
            "m:rate=x",
            "m:status=42",
            "m:what=1",
            "m:delay=-1",
        ] {
            assert!(FaultRule::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn draws_repeat_with_the_seed() {
        let a: Vec<f64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_f64()
            })
            .collect();
        let b: Vec<f64> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| r.next_f64()
            })
            .collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|x| (0.0..1.0).contains(x)));
    }
}

//! Faults that tests inject into the next REST calls, to exercise a client's error handling.

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
    /// The connection is closed without any HTTP answer.
    DropConnection,
    /// This exact status and body (sent as JSON content), to test how a client reads answers the
    /// emulator would not produce by itself, e.g. every documented error row of a method.
    Respond {
        /// HTTP status.
        status: u16,
        /// The body, sent as is.
        body: String,
    },
}

//! One error type for every call, keeping apart what the method documents, what any method can
//! answer (limits, auth), what never left the process, what failed on the wire, and answers that
//! could not be read (with their raw body).

mod config;

use std::fmt;

pub use bitrix_facts::SystemError;
pub use config::ConfigError;

/// The error of a call. `Error<E>` is what a call of a method with error enum `E` returns; plain
/// `Error` (any method's error, type erased) is what they all convert into with `?`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = AnyMethodError> {
    /// The portal answered with an error the method documents (or an unknown code, kept as
    /// `Unknown`).
    #[error("{0}")]
    Method(ApiError<E>),
    /// The portal answered with an error common to all methods (limits, authentication, …).
    #[error("{0}")]
    System(ApiError<SystemError>),
    /// The request was refused before it was sent.
    #[error("request not sent: {0}")]
    InvalidRequest(#[from] InvalidRequest),
    /// The request or its answer did not make it across the network.
    #[error("transport error: {0}")]
    Transport(#[from] TransportError),
    /// The answer could not be understood; its raw body is kept.
    #[error("{0}")]
    UnexpectedResponse(#[from] UnexpectedResponse),
    /// The OAuth token could not be renewed.
    #[error("token refresh failed: {0}")]
    Auth(#[from] AuthError),
    /// The client could not be built (a bad webhook address, plain `http://` to a remote host).
    #[error("client configuration: {0}")]
    Config(#[from] ConfigError),
}

impl<E> Error<E> {
    /// The error code the portal sent, for method and system errors.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Method(e) => Some(&e.code),
            Error::System(e) => Some(&e.code),
            _ => None,
        }
    }

    /// The system error, if this is one.
    pub fn system(&self) -> Option<&SystemError> {
        match self {
            Error::System(e) => Some(&e.kind),
            _ => None,
        }
    }

    /// The method's documented error, if this is one.
    pub fn method(&self) -> Option<&E> {
        match self {
            Error::Method(e) => Some(&e.kind),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Method(e) => Some(e.status),
            Error::System(e) => Some(e.status),
            Error::UnexpectedResponse(u) => Some(u.status),
            Error::Auth(AuthError::Rejected { status, .. }) => Some(*status),
            _ => None,
        }
    }
}

/// An error answer of the portal: the typed kind plus what was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError<K> {
    /// The typed error.
    pub kind: K,
    /// The `error` code as sent.
    pub code: String,
    /// The `error_description` as sent (may be empty).
    pub description: String,
    /// The HTTP status.
    pub status: u16,
    /// REST 3.0: the parameters that failed validation, each with the portal's message.
    pub validation: Vec<FieldProblem>,
}

/// One entry of a REST 3.0 error's `validation` list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The parameter (`id`, `fields.title`), when the portal names one.
    pub field: Option<String>,
    /// What is wrong with it, as the portal says.
    pub message: String,
}

impl<K> fmt::Display for ApiError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = if self.code.is_empty() {
            "(no code)"
        } else {
            &self.code
        };
        write!(f, "{code} (HTTP {})", self.status)?;
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        Ok(())
    }
}

/// An error code that the method's spec does not document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownCode {
    /// The `error` code.
    pub code: String,
    /// The `error_description`.
    pub description: String,
}

/// One documented error row of a method, as its spec gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorRow {
    /// The `error` code.
    pub code: &'static str,
    /// The server's `error_description` (empty when the spec gives none).
    pub description: &'static str,
    /// The documented HTTP status.
    pub status: u16,
    /// Another row has the same code; the description tells them apart.
    pub shared: bool,
}

/// The error enum of one method (generated): one variant per documented row, and `Unknown`.
/// Matching, codes, statuses and text come from [`MethodError::ROWS`].
pub trait MethodError: fmt::Debug + fmt::Display + Clone + Send + Sync + 'static {
    /// The method's name.
    const METHOD: &'static str;
    /// The documented rows, in the spec's order.
    const ROWS: &'static [ErrorRow];
    /// The variant of row `row`.
    fn from_row(row: usize) -> Option<Self>;
    /// The row of this variant; `None` for `Unknown`.
    fn row(&self) -> Option<usize>;
    /// Wraps a code the spec does not document.
    fn unknown(code: UnknownCode) -> Self;
    /// The undocumented code, for `Unknown`.
    fn as_unknown(&self) -> Option<&UnknownCode>;

    /// The documented variant for a code and description, if any: a unique code decides alone,
    /// a shared one by its description (case, surrounding space and a final period ignored:
    /// the reference's tables drop the period portals send). Rows with an empty
    /// code (`"error": ""`) are told apart by their description only.
    fn from_documented(code: &str, description: &str) -> Option<Self> {
        let description = description.trim();
        let same_code = |r: &&ErrorRow| r.code == code;
        let by_text = |r: &&ErrorRow| r.shared || r.code.is_empty();
        // An exact message wins over a row whose message has `#FIELD#`-style placeholders.
        let row = Self::ROWS
            .iter()
            .position(|r| same_code(&r) && (!by_text(&r) || same_text(r.description, description)))
            .or_else(|| {
                Self::ROWS.iter().position(|r| {
                    same_code(&r) && by_text(&r) && fits_pattern(r.description, description)
                })
            })?;
        Self::from_row(row)
    }

    /// The code as sent.
    fn code(&self) -> &str {
        match self.row() {
            Some(row) => Self::ROWS[row].code,
            None => self.as_unknown().map_or("", |u| u.code.as_str()),
        }
    }

    /// The HTTP status the spec documents for this error.
    fn documented_status(&self) -> Option<u16> {
        self.row().map(|row| Self::ROWS[row].status)
    }
}

/// Whether a documented message and a sent one are the same text: case, surrounding space and
/// one final period aside.
fn same_text(documented: &str, sent: &str) -> bool {
    fn bare(s: &str) -> &str {
        let s = s.trim();
        s.strip_suffix('.').unwrap_or(s).trim_end()
    }
    bare(documented).eq_ignore_ascii_case(bare(sent))
}

/// Whether `text` is the documented message `pattern` with its placeholders (`#FIELD#`,
/// `#ORDER#`: capitals and `_` between `#`) filled in; case and backticks are not compared, as
/// the reference's tables and the portal's answers differ in both.
fn fits_pattern(pattern: &str, text: &str) -> bool {
    let norm = |s: &str| s.replace('`', "").to_lowercase();
    let (pattern, text) = (norm(pattern), norm(text));
    // The literal pieces between placeholders.
    let mut pieces = vec![String::new()];
    let mut rest = pattern.as_str();
    while let Some(start) = rest.find('#') {
        let after = &rest[start + 1..];
        let hole = after.find('#').filter(|&len| {
            len > 0
                && after[..len]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_')
        });
        let Some(current) = pieces.last_mut() else {
            return false;
        };
        match hole {
            Some(len) => {
                current.push_str(&rest[..start]);
                pieces.push(String::new());
                rest = &after[len + 1..];
            }
            None => {
                current.push_str(&rest[..=start]);
                rest = after;
            }
        }
    }
    if let Some(current) = pieces.last_mut() {
        current.push_str(rest);
    }
    let (Some((first, tail)), true) = (pieces.split_first(), pieces.len() > 1) else {
        return false;
    };
    let Some((last_piece, middle)) = tail.split_last() else {
        return false;
    };
    let Some(mut left) = text.strip_prefix(first.as_str()) else {
        return false;
    };
    // Each placeholder takes at least one character.
    for piece in middle {
        let mut chars = left.chars();
        if chars.next().is_none() {
            return false;
        }
        let after = chars.as_str();
        match after.find(piece.as_str()) {
            Some(pos) => left = &after[pos + piece.len()..],
            None => return false,
        }
    }
    let mut chars = left.chars();
    chars.next().is_some() && chars.as_str().ends_with(last_piece.as_str())
}

/// `Display` of every generated error enum: `CODE: description`.
pub fn fmt_method_error<E: MethodError>(e: &E, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match (e.row(), e.as_unknown()) {
        (Some(row), _) => {
            let r = &E::ROWS[row];
            let text = if r.description.is_empty() {
                r.code
            } else {
                r.description
            };
            write!(f, "{}: {text}", r.code)
        }
        (None, Some(u)) => write!(f, "{}: {}", u.code, u.description),
        (None, None) => f.write_str("unknown error"),
    }
}

/// The method error of [`Client::call_raw`](crate::Client::call_raw): no rows are documented,
/// every code is `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawError {
    /// The code and description as sent.
    Unknown(UnknownCode),
}

impl MethodError for RawError {
    const METHOD: &'static str = "";
    const ROWS: &'static [ErrorRow] = &[];
    fn from_row(_: usize) -> Option<Self> {
        None
    }
    fn row(&self) -> Option<usize> {
        None
    }
    fn unknown(code: UnknownCode) -> Self {
        RawError::Unknown(code)
    }
    fn as_unknown(&self) -> Option<&UnknownCode> {
        let RawError::Unknown(u) = self;
        Some(u)
    }
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt_method_error(self, f)
    }
}

/// Any method's documented error, its type erased: what the common [`Error`] (no type parameter)
/// holds, so code that calls several methods has one error type. The typed error is still there:
/// [`AnyMethodError::downcast_ref`], or [`Error::method_error`].
#[derive(Debug, Clone)]
pub struct AnyMethodError {
    method: &'static str,
    code: String,
    status: Option<u16>,
    text: String,
    kind: std::sync::Arc<dyn std::any::Any + Send + Sync>,
}

impl AnyMethodError {
    /// Erases a method's error.
    pub fn new<E: MethodError>(e: E) -> Self {
        AnyMethodError {
            method: E::METHOD,
            code: e.code().to_string(),
            status: e.documented_status(),
            text: e.to_string(),
            kind: std::sync::Arc::new(e),
        }
    }

    /// The typed error, when it is `E`'s.
    pub fn downcast_ref<E: MethodError>(&self) -> Option<&E> {
        self.kind.downcast_ref()
    }

    /// The method whose error it is (empty for `call_raw`).
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The code as sent.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The documented HTTP status, if the row is documented.
    pub fn documented_status(&self) -> Option<u16> {
        self.status
    }
}

impl PartialEq for AnyMethodError {
    fn eq(&self, other: &Self) -> bool {
        (self.method, &self.code, &self.text) == (other.method, &other.code, &other.text)
    }
}

impl fmt::Display for AnyMethodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Every method's error converts into the common one with `?`. (`AnyMethodError` is no
/// `MethodError`, which is what keeps this apart from `From<T> for T`.)
impl<E: MethodError> From<Error<E>> for Error<AnyMethodError> {
    fn from(e: Error<E>) -> Self {
        match e {
            Error::Method(a) => Error::Method(ApiError {
                kind: AnyMethodError::new(a.kind),
                code: a.code,
                description: a.description,
                status: a.status,
                validation: a.validation,
            }),
            Error::System(s) => Error::System(s),
            Error::InvalidRequest(e) => Error::InvalidRequest(e),
            Error::Transport(e) => Error::Transport(e),
            Error::UnexpectedResponse(e) => Error::UnexpectedResponse(e),
            Error::Auth(e) => Error::Auth(e),
            Error::Config(e) => Error::Config(e),
        }
    }
}

impl Error<AnyMethodError> {
    /// The typed error of method error type `E`, when the portal answered one.
    pub fn method_error<E: MethodError>(&self) -> Option<&E> {
        match self {
            Error::Method(a) => a.kind.downcast_ref(),
            _ => None,
        }
    }
}

/// A request refused before sending: which part and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{reason}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
pub struct InvalidRequest {
    path: String,
    reason: String,
}

impl InvalidRequest {
    /// A problem with the part at `path` (`FIELDS.LANG[0]`; empty for the whole request).
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        InvalidRequest {
            path: path.into(),
            reason: reason.into(),
        }
    }
    /// Where in the request the problem is.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// What is wrong.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// What kind of network failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made; the request was not sent.
    Connect,
    /// No answer in time; the request may have run.
    Timeout,
    /// The connection broke after sending; the request may have run.
    Interrupted,
    /// Anything else.
    Other,
}

/// A network failure. Never contains the request URL (it may hold a webhook code).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<reqwest::Error>,
}

impl TransportError {
    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        let e = e.without_url();
        let kind = if e.is_connect() {
            TransportErrorKind::Connect
        } else if e.is_timeout() {
            TransportErrorKind::Timeout
        } else if e.is_request() || e.is_body() || e.is_decode() {
            TransportErrorKind::Interrupted
        } else {
            TransportErrorKind::Other
        };
        let mut message = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            message.push_str(": ");
            message.push_str(&s.to_string());
            src = s.source();
        }
        TransportError {
            kind,
            message,
            source: Some(e),
        }
    }

    /// A copy for another waiter of the same failure (the source error cannot be cloned, its
    /// text is kept in the message).
    pub(crate) fn duplicate(&self) -> Self {
        TransportError {
            kind: self.kind,
            message: self.message.clone(),
            source: None,
        }
    }

    /// Whether the request certainly did not reach the portal (safe to retry any call).
    pub fn not_sent(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

/// At most this many bytes of an unreadable answer are kept in [`UnexpectedResponse::body`], so
/// a hostile portal cannot make errors hold (or logs print) megabytes.
pub const MAX_KEPT_BODY: usize = 64 * 1024;

/// An answer that is not what Bitrix24 sends: not JSON, JSON of the wrong shape, a redirect, or
/// a body larger than the client's limit ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected answer (HTTP {status}): {reason}")]
pub struct UnexpectedResponse {
    /// HTTP status.
    pub status: u16,
    /// Why it could not be read.
    pub reason: String,
    /// The start of the body as received (lossy UTF-8), at most [`MAX_KEPT_BODY`] bytes.
    pub body: String,
}

impl UnexpectedResponse {
    /// An unreadable answer, keeping at most [`MAX_KEPT_BODY`] bytes of its body.
    pub fn new(status: u16, reason: impl Into<String>, body: &[u8]) -> Self {
        let kept = &body[..body.len().min(MAX_KEPT_BODY)];
        UnexpectedResponse {
            status,
            reason: reason.into(),
            body: String::from_utf8_lossy(kept).into_owned(),
        }
    }
}

/// Renewing the OAuth token failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The OAuth server refused (`invalid_grant`, `invalid_client`, `PAYMENT_REQUIRED`, …).
    #[error("{code} (HTTP {status}){}", if description.is_empty() { String::new() } else { format!(": {description}") })]
    Rejected {
        /// The `error` code.
        code: String,
        /// The `error_description`.
        description: String,
        /// The HTTP status.
        status: u16,
    },
    /// The OAuth server could not be reached.
    #[error("{0}")]
    Transport(TransportError),
    /// The OAuth server answered something that is not a token pair.
    #[error("{0}")]
    Unexpected(UnexpectedResponse),
}

impl AuthError {
    /// A copy for each call that waited for the same failed renewal.
    pub(crate) fn duplicate(&self) -> Self {
        match self {
            AuthError::Rejected {
                code,
                description,
                status,
            } => AuthError::Rejected {
                code: code.clone(),
                description: description.clone(),
                status: *status,
            },
            AuthError::Transport(t) => AuthError::Transport(t.duplicate()),
            AuthError::Unexpected(u) => AuthError::Unexpected(u.clone()),
        }
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::{fits_pattern, same_text};

    #[test]
    fn a_final_period_and_case_are_not_compared() {
        assert!(same_text(
            "ID is not defined or invalid",
            "ID is not defined or invalid."
        ));
        assert!(same_text("Not found.", " not found "));
        assert!(!same_text("Not found", "Not found.."));
        assert!(!same_text("Not found", "Not"));
    }

    #[test]
    fn placeholders_take_the_answers_words() {
        let row = "Required field `#FIELD#` is not specified";
        assert!(fits_pattern(row, "Required field `id` is not specified"));
        assert!(fits_pattern(row, "required field id is not specified"));
        assert!(!fits_pattern(row, "Required field `` is not specified"));
        assert!(!fits_pattern(row, "Required field `id` is missing"));
        assert!(fits_pattern(
            "In DTO `#DTO#`, the `#FIELD#` field needs `Filterable`",
            "In DTO `TaskDto`, the `title` field needs `Filterable`"
        ));
        assert!(fits_pattern("Unknown `#X#`", "Unknown `ключ`"));
        // No placeholder: not a pattern (exact rows are compared elsewhere).
        assert!(!fits_pattern("Access denied", "Access denied"));
        assert!(!fits_pattern("Price #1 is wrong", "Price #1 is wrong"));
    }
}

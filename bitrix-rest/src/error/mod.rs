//! One error type for every call, keeping apart what the method documents, what any method can
//! answer (limits, auth), what never left the process, what failed on the wire, and answers that
//! could not be read (with their raw body).

mod system;

use std::fmt;

pub use system::SystemError;

/// The error of a call of method error type `E` (generated per method, [`RawError`] for
/// [`Client::call_raw`](crate::Client::call_raw)).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E = RawError> {
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
}

impl<E: MethodError> Error<E> {
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
}

impl<K> fmt::Display for ApiError<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.status)?;
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        Ok(())
    }
}

/// An error code that the method's spec does not document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownCode {
    /// The `error` code as sent.
    pub code: String,
    /// The `error_description` as sent.
    pub description: String,
}

/// The error enum of one method; generated from its spec.
pub trait MethodError: fmt::Debug + fmt::Display + Clone + Send + Sync + 'static {
    /// The documented variant for this code and description, if any.
    fn from_documented(code: &str, description: &str) -> Option<Self>;
    /// The forward-compatible variant for a code the spec does not list.
    fn unknown(code: UnknownCode) -> Self;
    /// The code of this error.
    fn code(&self) -> &str;
    /// The HTTP status the documentation gives for it.
    fn documented_status(&self) -> Option<u16>;
}

/// The method error type of untyped calls: every code is `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RawError {
    /// Any code that is not a system error.
    Unknown(UnknownCode),
}

impl MethodError for RawError {
    fn from_documented(_: &str, _: &str) -> Option<Self> {
        None
    }
    fn unknown(code: UnknownCode) -> Self {
        RawError::Unknown(code)
    }
    fn code(&self) -> &str {
        let RawError::Unknown(u) = self;
        &u.code
    }
    fn documented_status(&self) -> Option<u16> {
        None
    }
}

impl fmt::Display for RawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let RawError::Unknown(u) = self;
        write!(f, "{}: {}", u.code, u.description)
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

    /// Whether the request certainly did not reach the portal (safe to retry any call).
    pub fn not_sent(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

/// An answer that is not what Bitrix24 sends: not JSON, or JSON of the wrong shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected answer (HTTP {status}): {reason}")]
pub struct UnexpectedResponse {
    /// HTTP status.
    pub status: u16,
    /// Why it could not be read.
    pub reason: String,
    /// The body exactly as received (lossy UTF-8).
    pub body: String,
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

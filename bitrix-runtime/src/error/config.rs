//! Why a client cannot be built: a configuration problem, found before anything is sent.

/// A client that cannot be built as configured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// An address that cannot be used.
    #[error("bad {what} address: {reason}")]
    BadUrl {
        /// Which address.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// Plain `http://` to a host other than this machine would send secrets in clear text.
    #[error("the {what} address uses plain http://; use https:// (plain http is allowed only for loopback addresses)")]
    InsecureUrl {
        /// Which address.
        what: &'static str,
    },
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {0}")]
    Http(String),
}

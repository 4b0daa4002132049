//! The OAuth pair as the server issues it, shared by the renewal, the store and the client.

use crate::secret::Secret;

/// A freshly issued token pair, handed to the refresh callback so the app can store it.
#[derive(Debug, Clone)]
pub struct TokenPair {
    /// The new access token.
    pub access_token: Secret,
    /// The new refresh token (the old one no longer works).
    pub refresh_token: Secret,
    /// Lifetime of the access token in seconds, when the server said.
    pub expires_in: Option<u64>,
}

//! The one trait every generated request implements; `Client::call` is generic over it.

use serde::Serialize;

use crate::error::{InvalidRequest, MethodError};
use crate::wire::validate::Validate;

/// A REST method call: a request type generated from a spec (or written by hand).
pub trait Method: Serialize + Validate + Send + Sync {
    /// The REST method name, e.g. `imbot.command.update`.
    const NAME: &'static str;
    /// Whether a call may be repeated safely after a lost connection.
    const IDEMPOTENT: bool = false;
    /// Whether this is a list method paged by `start` (answers carry `next` and `total`).
    const PAGED: bool = false;
    /// The REST version: 2 (`/rest/<method>`) or 3 (`/rest/api/<method>`).
    const REST: u8 = 2;
    /// Parameters that webhook calls must send (`required = "webhook"`); a webhook client refuses
    /// the call before sending when one is missing.
    const WEBHOOK_REQUIRED: &'static [&'static str] = &[];
    /// What `result` holds.
    type Output: Send + 'static;
    /// The method's documented errors.
    type Error: MethodError;

    /// Checks what can be checked before sending.
    fn validate(&self) -> Result<(), InvalidRequest> {
        self.validate_at("")
    }

    /// Decodes `result` into [`Self::Output`].
    fn decode_output(value: serde_json::Value) -> Result<Self::Output, serde_json::Error>;

    /// For methods that answer a file instead of JSON (`[result] type = "binary"`): the file as
    /// the output. `None` (the default): the method answers JSON, and a file answer is unexpected.
    fn from_download(download: crate::Download) -> Option<Self::Output> {
        let _ = download;
        None
    }
}

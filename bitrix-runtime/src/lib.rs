//! The runtime of `bitrix-rest`: the client (webhook and OAuth with renewal), the one generic call
//! path ([`Client::call`]), the envelope, typed errors, pacing and retries, batch, streams and
//! incoming events. The generated API lives in the `bitrix-api-*` crates and is re-exported,
//! together with all of this, by `bitrix-rest`: depend on that crate, not on this one.
//!
//! ```no_run
//! # async fn run() -> Result<(), bitrix_runtime::Error> {
//! let client = bitrix_runtime::Client::webhook("https://example.bitrix24.com/rest/1/webhook_code/")?;
//! let answer = client.call_raw("user.current", serde_json::json!({})).await?;
//! println!("{}", answer.result["NAME"]);
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]
// `Error` carries what the portal answered (code, text, status, REST 3.0 validation rows) by
// value so that matching on it needs no unboxing; the extra bytes on the error path are cheap
// next to an HTTP round trip.
#![allow(clippy::result_large_err)]

extern crate self as bitrix_rest;

pub mod auth;
pub mod batch;
mod checks;
mod client;
mod conditions;
mod download;
mod envelope;
mod error;
pub mod events;
mod method;
mod pacing;
mod secret;
mod stream;
mod transport;
pub mod v3;
mod wire;

pub use auth::{OAuthConfig, TokenPair, TokenStore};
pub use batch::{
    Arg, Batch, BatchError, BatchResults, Handle, IntoArg, ListRef, MapRef, Referable, Reference,
    ValueRef,
};
pub use client::{Client, ClientBuilder};
pub use conditions::{Compare, Conditions};
pub use download::Download;
pub use envelope::{Response, Time};
pub use error::{
    AnyMethodError, ApiError, AuthError, ConfigError, Error, ErrorRow, InvalidRequest, MethodError,
    RawError, SystemError, TransportError, TransportErrorKind, UnexpectedResponse, UnknownCode,
    MAX_KEPT_BODY,
};
pub use method::Method;
pub use pacing::{Plan, RetryPolicy, SharedBucket, SharedBucketError};
pub use secret::Secret;
pub use stream::{FastExport, Items, PAGE_SIZE};
pub use wire::file::File;
pub use wire::lang_text::LangText;
pub use wire::one_or_many::OneOrMany;
pub use wire::query::encode as encode_query;
pub use wire::validate::Validate;

/// The types that a folder of specs shares between its methods (`specs/<folder>/_types.toml`),
/// one module per folder whose feature is on. `bitrix_rest::api::<folder>` re-exports them.
pub mod shared {
    bitrix_macros::include_specs!(
        "specs",
        runtime = "crate",
        methods = false,
        scope_features = true
    );
}

/// Items generated code refers to. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::checks::examples::{check_examples, run_example_table, ExampleRow};
    pub use crate::checks::recorded::{
        check_answer, check_batch_answer, find_row, AnswerCheck, AnswerRow, BatchCheck, Outcome,
    };
    pub use crate::error::fmt_method_error;
    pub use crate::wire::fields::{take_optional, take_required};
    pub use crate::wire::flag;
    pub use crate::wire::lenient::{
        lenient, lenient_value, object_or_empty_array, take_items, Lenient, TextOrNumber,
    };
    pub use crate::wire::record::{de_enum, de_record, debug_record, ser_record, Record, Writer};
    pub use crate::wire::validate::{check_url, join_path, Validate};
    pub use serde;
    pub use serde_json;
    pub use serde_json::{Map as JsonMap, Value};

    /// Unknown keys of a struct.
    pub type Map = serde_json::Map<String, Value>;

    /// Reads a raw HTTP answer (status and body) as `Client::call_raw` does, without the
    /// network: the entry point of the `envelope` fuzz target.
    pub fn read_answer(
        status: u16,
        body: &[u8],
    ) -> Result<crate::Response<Value>, crate::Error<crate::RawError>> {
        crate::transport::answer::read(status, body)
    }
}

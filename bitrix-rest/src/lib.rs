//! A typed Bitrix24 REST client whose API is generated from method specs.
//!
//! Every method in `specs/` is a request type in [`api`], at the path of its name
//! (`imbot.command.update` is [`api::imbot::command::Update`](api)), with required parameters in
//! `new` and optional ones as setters; its own types and error enum sit in the module of its last
//! name (`api::imbot::command::update::{Fields, Error}`). Every request goes through the one
//! generic call path, [`Client::call`]; methods without a spec through [`Client::call_raw`].
//!
//! ```no_run
//! # #[cfg(feature = "imbot")]
//! use bitrix_rest::api::imbot::command::{self, update};
//!
//! # #[cfg(feature = "imbot")]
//! # async fn run() -> Result<(), bitrix_rest::Error> {
//! let client = bitrix_rest::Client::webhook("https://example.bitrix24.com/rest/1/webhook_code/")?;
//! let fields = update::Fields::new().hidden(false);
//! # #[allow(deprecated)]
//! let answer = client.call(&command::Update::new(99, fields).client_id("app")).await?;
//! assert!(answer.result);
//! # Ok(()) }
//! ```
//!
//! The runtime (client, auth, batch, streams, events) is `bitrix-runtime`, re-exported here; the
//! API is compiled by the `bitrix-api-*` crates in parallel and re-exported here, one Cargo
//! feature per folder of specs (all on by default, `full`).
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

#[doc(inline)]
pub use bitrix_runtime::*;

/// The generated API: a module per folder of specs (and Cargo feature), a request type per method.
pub mod api {
    bitrix_macros::include_api!("specs", crates = "::bitrix_api_0 ::bitrix_api_1 ::bitrix_api_2 ::bitrix_api_3 ::bitrix_api_4 ::bitrix_api_5 ::bitrix_api_6 ::bitrix_api_7", shared = "::bitrix_runtime::shared", scope_features = true);
}

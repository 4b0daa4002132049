//! `bitrix-specs`: the maintainers' tool that imports method specs from the official Bitrix24
//! REST reference (its Markdown form), reports drift between the reference and the specs, and
//! writes `specs/COVERAGE.md`. Nothing in the SDK depends on it.
//!
//! Only facts are imported (names, types, required marks, error codes and statuses, example JSON);
//! the reference's sentences are never copied. What cannot be decided becomes a `todo` point.

#![warn(missing_docs)]

pub mod build;
pub mod check;
pub mod coverage;
pub mod discover;
pub mod docs;
pub mod drift;
pub mod errors;
pub mod events;
pub mod examples;
pub mod existing;
pub mod fields;
pub mod import;
pub mod infer;
pub mod keep;
pub mod mark;
pub mod markdown;
pub mod page;
pub mod reads;
pub mod reconcile;
pub mod roundtrip;
pub mod row;
pub mod rules;
pub mod state;
pub mod stats;
pub mod types;
pub mod unions;
pub mod validate;

//! The tests of the generated API, in one binary: the documented examples and the recorded
//! answers each read every method's types, so one test crate compiles and links that code once
//! instead of once per file.

mod event_examples;
mod examples;
mod null_and_absent;
mod recorded;
mod secrets_in_debug;
mod snapshot_compiles;

//! The checks generated tests run: documented examples and recorded real answers, each read
//! exactly as a call reads it. Generated code reaches them through `__private`.

pub mod examples;
pub mod recorded;

//! Compile-fail cases only: see `tests/ui.rs`.

//! The workspace's end-to-end tests, one binary: the typed client against the emulator over
//! real HTTP on loopback (auth, batch, faults, pacing, streams, REST 3.0, events), the
//! emulator's binary, and what must compile. One binary links the API once instead of once per
//! file. Run one area with a filter: `cargo test -p bitrix-tests --test e2e hardening::`.

mod common;

mod auth;
mod batch;
mod binary;
mod compiles;
mod conditions;
mod emulator;
mod events_bind_e2e;
mod events_e2e;
mod faults;
mod hardening;
mod missing;
mod pacing;
mod query_roundtrip;
mod rest_v3;
mod seed;
mod streams;

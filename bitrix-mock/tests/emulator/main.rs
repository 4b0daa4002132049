//! The emulator's tests, one binary: each file a part of what a portal does, over real HTTP on
//! loopback (calls, the store, limits, events, REST 3.0, TLS, the portal's manners and record
//! forms, hostile input, the binary, the peer suites' fixtures). One binary links the emulator
//! once instead of once per file. Run one part with a filter:
//! `cargo test -p bitrix-mock --test emulator portal_form::`.

mod common;

mod binary;
mod calls;
mod events;
mod every_method;
mod hostile_store;
mod limits;
mod peer_suites;
mod portal_data;
mod portal_form;
mod portal_manners;
mod rest_v3;
mod robustness;
mod state_kinds;
mod store;
mod tls;

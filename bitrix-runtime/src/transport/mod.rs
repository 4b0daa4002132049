//! The HTTP side of a call, apart from the client that drives it: reading a body within its size
//! limit and classifying what came back (success envelope, typed error, unreadable answer). Auth,
//! batch and the example checks read answers through it without depending on the client.

pub(crate) mod answer;
pub(crate) mod read;

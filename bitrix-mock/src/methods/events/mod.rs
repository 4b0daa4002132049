//! The portal's event machinery as methods and writes see it: `event.*` and the offline queue
//! ([`methods`]), events raised by store writes ([`raise`]) with the `auth` block of each
//! delivery ([`auth`]), and the bot family's messages ([`bot`]). What they keep and how they
//! are delivered (bindings, the catalog of events, the queues) is `crate::events`, below the
//! portal's state.

mod auth;
pub(crate) mod bot;
pub(crate) mod methods;
pub(crate) mod raise;

pub(crate) use bot::{deliver, prepare};
pub(crate) use raise::raise;

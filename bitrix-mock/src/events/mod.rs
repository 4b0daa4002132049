//! Outgoing events, as Bitrix24 sends them: POSTed form-encoded with PHP bracket keys
//! (`data[FIELDS][ID]`, `auth[application_token]`), every scalar as text.
//!
//! Two sources: the bot family (a simulated user writes to a bot: [`bot`]), and the portal's
//! event machinery: applications bind handlers with `event.bind` ([`methods`], kept in the
//! [`book`]), every store write that an event spec's `[[raise]]` describes raises that event
//! ([`raise`]), and each bound handler gets it asynchronously, in write order, without retries
//! ([`delivery`]), or it waits in the offline queue. Only `http://` handlers on loopback are
//! called ([`wire`]).

pub(crate) mod book;
pub(crate) mod catalog;
pub(crate) mod delivery;
pub(crate) mod wire;

pub(crate) use book::EventBook;
pub use delivery::{DeliveryReport, EventCounters};
pub(crate) use delivery::{Dispatcher, Settings};

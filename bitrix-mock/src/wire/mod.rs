//! The portal's wire form of records. Each family of methods (`crm.deal`, `crm.item`,
//! `tasks.task`) answers records the way its documented get or list example shows them: the
//! example's keys in its casing, numbers as text where it writes them so, money with two
//! decimals, `Y`/`N`, its date shape, unset fields `null` (flags and booleans: the example's
//! value). The
//! store keeps what callers sent; a family's [`Template`] renders it on the way out, so one
//! record reads right through `crm.deal.get` and `crm.item.get` alike.

pub mod form;
pub mod keyed;
pub mod php;
mod template;

pub use template::{catalog, Template};

//! REST 3.0 beyond single calls (`rest-v3.md`): typed `select` with related objects' fields,
//! typed `filter` with OR groups, and `batch` as a JSON list. Single REST 3.0 calls go through
//! [`Client::call`](crate::Client::call) like any method; its spec says `rest = 3`.

mod batch;
mod filter;
mod select;

pub use batch::{Batch, BatchError, BatchResults, Handle, Raw};
pub use filter::{Filter, Op};
pub use select::Select;

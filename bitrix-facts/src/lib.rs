//! Facts every Bitrix24 portal shares, in one place: the system errors any method can answer
//! (code, HTTP status, what it means), the request limits of the plans, the operating-time
//! budget, the page and batch sizes, and the comparisons of list filters. The runtime (`bitrix-rest`), the emulator
//! (`bitrix-mock`), the command line (`b24`) and the importer (`bitrix-specs`) read them from
//! here, so a portal fact is changed once.

#![warn(missing_docs)]

mod filters;
mod limits;
mod system_errors;

pub use filters::{FilterOp, REST2_PREFIXES, REST3_OPERATORS};
pub use limits::{
    Rate, ACCESS_TOKEN_LIFETIME_SECS, ENTERPRISE, MAX_BATCH_COMMANDS, OPERATING_BUDGET_SECS,
    OPERATING_WINDOW_SECS, PAGE_SIZE, STANDARD,
};
pub use system_errors::SystemError;

//! The command line as data: what `b24` accepts (`args`).

pub mod args;

pub use args::{Cli, Command, ExportFormat, Global, MockArgs, PlanArg};

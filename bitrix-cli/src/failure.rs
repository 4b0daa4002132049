//! What ends a command early: a message for the user and the exit code it maps to.

use std::fmt;

/// Exit code of usage and validation problems: nothing was sent.
pub const USAGE: u8 = 2;
/// Exit code of errors the portal or the network answered.
pub const API: u8 = 1;
/// Exit code after Ctrl-C (128 + SIGINT, as shells report it).
pub const INTERRUPTED: u8 = 130;

/// A command that could not finish. The message is printed as `b24: MESSAGE` and must never
/// hold a secret (webhook codes, tokens): build it from the SDK's errors, which hide them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The process exit code.
    pub code: u8,
    /// What went wrong, possibly on several lines.
    pub message: String,
}

impl Failure {
    /// A problem with what the user typed (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: USAGE,
            message: message.into(),
        }
    }

    /// A problem the portal, the network or the file system answered (exit code 1).
    pub fn api(message: impl Into<String>) -> Self {
        Failure {
            code: API,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The result of a command: `Ok(exit code)` when it ran to the end (0, or 130 after Ctrl-C).
pub type Outcome = Result<u8, Failure>;

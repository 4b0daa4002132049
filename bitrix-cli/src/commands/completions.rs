//! `b24 completions SHELL`: the completion script of a shell, from the clap definition.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::failure::Outcome;

/// Prints the completion script for `shell` on standard output.
pub fn run(shell: clap_complete::Shell) -> Outcome {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "b24", &mut std::io::stdout());
    Ok(0)
}

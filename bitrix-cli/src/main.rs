//! `b24`: a command line for people who work with a Bitrix24 portal, built on `bitrix-rest`.
//!
//! Methods are described by the same specs as the SDK, embedded as text and parsed once at start
//! (no generated type per method), and called through `Client::call_raw` after the parameters
//! are checked against the spec.

mod auth;
mod cli;
mod commands;
mod export;
mod failure;
mod interrupt;
mod output;
mod params;
mod progress;
mod redact;
mod specs;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::failure::{Failure, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = run(cli);
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("b24: {}", redact::redact(&f.message));
            ExitCode::from(f.code)
        }
    }
}

fn run(cli: Cli) -> Outcome {
    let Cli { global, command } = cli;
    match command {
        Command::Methods { scope } => commands::methods::run(scope.as_deref()),
        Command::Describe { method } => commands::describe::run(&method),
        Command::Completions { shell } => commands::completions::run(shell),
        Command::Call {
            method,
            params,
            json,
            raw,
        } => block_on(commands::call::run(
            &global,
            &method,
            &params,
            json.as_deref(),
            raw,
        )),
        Command::Export {
            method,
            params,
            json,
            format,
            out,
            resume,
        } => {
            let request = commands::export::Request {
                method: &method,
                args: &params,
                json: json.as_deref(),
                format,
                out: out.as_deref(),
                resume,
            };
            block_on(commands::export::run(&global, request))
        }
        Command::Batch { file, halt, raw } => {
            block_on(commands::batch::run(&global, &file, halt, raw))
        }
        Command::Mock(args) => block_on(commands::mock::run(&args, global.plan)),
    }
}

/// Runs a command that talks to the network. One thread is plenty: the client paces calls, and
/// waiting is most of what `b24` does.
fn block_on(command: impl std::future::Future<Output = Outcome>) -> Outcome {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::api(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(command)
}

//! Command line of `bitrix-specs`: `import`, `import-events`, `drift`, `coverage`, `stats`, `mark`,
//! `check`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Maintainer tool: specs from the Bitrix24 REST reference.
#[derive(Parser)]
#[command(name = "bitrix-specs", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write one spec per method page, REST 2 and REST 3.0 (hand-finished specs are left alone).
    Import {
        /// Folder holding `api-reference/` (a checkout of the reference).
        docs: PathBuf,
        /// Spec folder to write into.
        #[arg(long, default_value = "specs")]
        out: PathBuf,
    },
    /// List differences between the reference and the specs; exits 1 when there are any.
    Drift {
        /// Folder holding `api-reference/`.
        docs: PathBuf,
        /// Spec folder.
        specs: PathBuf,
        /// Event spec folder, compared too when it exists.
        #[arg(long, default_value = "events")]
        events: PathBuf,
    },
    /// Count what is still loose: fields typed `any`, specs with todo points, reads not marked
    /// idempotent.
    Stats {
        /// Spec folder.
        specs: PathBuf,
        /// Also list the reads without `idempotent = true`.
        #[arg(long)]
        list: bool,
    },
    /// Make the mechanical changes in every spec, hand-finished ones included: reads get
    /// `idempotent = true`; with `--docs`, scopes the reference writes with dots are restored.
    Mark {
        /// Spec folder.
        specs: PathBuf,
        /// Folder holding `api-reference/`, to read the scopes as written.
        #[arg(long)]
        docs: Option<PathBuf>,
    },
    /// Write `<specs>/COVERAGE.md` (and `<events>/COVERAGE.md`).
    Coverage {
        /// Folder holding `api-reference/`.
        docs: PathBuf,
        /// Spec folder.
        specs: PathBuf,
        /// Event spec folder, covered too when it exists.
        #[arg(long, default_value = "events")]
        events: PathBuf,
        /// Answers recorded from live portals, listed per family when the folder exists.
        #[arg(long, default_value = "tests/recorded")]
        recorded: PathBuf,
    },
    /// Validate every spec of the folder as `include_specs!` would (no compiler); exits 1 on a
    /// problem. Also lists error examples sent with an empty code that match no row.
    Check {
        /// Spec folder.
        specs: PathBuf,
    },
    /// Write one spec per event of the reference (hand-finished event specs are left alone).
    ImportEvents {
        /// Folder holding `api-reference/`.
        docs: PathBuf,
        /// Event spec folder to write into.
        #[arg(long, default_value = "events")]
        out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Import { docs, out } => match bitrix_specs::import::import(&docs, &out, true) {
            Ok(r) => {
                println!(
                    "{} pages, {} REST 2 and {} REST 3.0 method pages: {} specs valid and written ({} REST 3.0, with {} todo points; {} changed), {} finished by hand kept, {} failed, {} loose with {} todo points, {} pages skipped",
                    r.pages,
                    r.methods - r.v3_methods,
                    r.v3_methods,
                    r.written,
                    r.v3_written,
                    r.v3_todo_points,
                    r.changed,
                    r.hand,
                    r.failed.len(),
                    r.loose,
                    r.todo_points,
                    r.skipped.len()
                );
                if r.failed.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Drift {
            docs,
            specs,
            events,
        } => match bitrix_specs::drift::drift(&docs, &specs).and_then(|mut lines| {
            if events.is_dir() {
                lines.extend(bitrix_specs::events::report::drift(&docs, &events)?);
            }
            Ok(lines)
        }) {
            Ok(lines) => {
                for l in &lines {
                    println!("{l}");
                }
                if lines.is_empty() {
                    println!("no drift");
                    ExitCode::SUCCESS
                } else {
                    eprintln!("{} difference(s)", lines.len());
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::ImportEvents { docs, out } => {
            match bitrix_specs::events::import(&docs, &out, true) {
                Ok(r) => {
                    println!(
                        "{} event pages, {} events: {} specs valid and written ({} changed), {} finished by hand kept, {} failed; {} typed fields, {} `any`; {} loose with {} todo points; {} pages skipped",
                        r.pages, r.events, r.written, r.changed, r.hand, r.failed.len(),
                        r.typed_fields, r.any_fields, r.loose, r.todo_points, r.skipped.len()
                    );
                    for s in &r.skipped {
                        eprintln!("skipped {s}");
                    }
                    if r.failed.is_empty() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::FAILURE
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Check { specs } => match bitrix_specs::validate::check(&specs) {
            Ok(c) => {
                for p in &c.problems {
                    println!("{p}");
                }
                for u in &c.unmatched {
                    println!("{u}: sent with an empty code, matches no row (read as SystemError::Uncoded)");
                }
                println!(
                    "{} specs: {} problem(s), {} empty-code example(s) on no row",
                    c.specs,
                    c.problems.len(),
                    c.unmatched.len()
                );
                if c.problems.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Stats { specs, list } => match bitrix_specs::stats::stats(&specs) {
            Ok(s) => {
                println!("{s}");
                if list {
                    for m in &s.reads_not_idempotent {
                        println!("  {m}");
                    }
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Mark { specs, docs } => match bitrix_specs::mark::mark(docs.as_deref(), &specs) {
            Ok(m) => {
                for p in &m.scope {
                    println!("scope as written: {}", p.display());
                }
                println!(
                    "{} marked idempotent, {} scopes restored",
                    m.idempotent.len(),
                    m.scope.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        Command::Coverage {
            docs,
            specs,
            events,
            recorded,
        } => {
            let events_cov = || {
                if events.is_dir() {
                    bitrix_specs::events::report::coverage(&docs, &events).map(|p| {
                        println!("wrote {}", p.display());
                    })
                } else {
                    Ok(())
                }
            };
            let recorded = recorded.is_dir().then_some(recorded.as_path());
            match bitrix_specs::coverage::coverage_with(&docs, &specs, recorded)
                .and_then(|p| events_cov().map(|()| p))
            {
                Ok(path) => {
                    println!("wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}
